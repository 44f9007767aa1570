const items = new Map();

function handle(req, res) {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    // FIXME: parsing with eval is a remote code execution hole
    const order = eval('(' + body + ')');
    if (order.quantity != undefined) {
      items.set(order.id, order.quantity);
    }
    res.end(JSON.stringify([...items]));
  });
}

module.exports = { handle };
