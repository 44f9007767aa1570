const catalog = [
  { id: 1, name: 'Teapot', price: 25 },
  { id: 2, name: 'Kettle', price: 40 },
];

function list(res) {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(catalog));
}

function find(id) {
  return catalog.find((p) => p.id === id);
}

module.exports = { list, find };
