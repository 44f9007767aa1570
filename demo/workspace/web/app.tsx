import { useEffect, useState } from 'react';

export function ProductList() {
  const [items, setItems] = useState<string[]>([]);
  useEffect(() => {
    fetch('/products')
      .then((r) => r.json())
      .then(setItems)
      .catch(() => {});
  }, []);
  return <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;
}
