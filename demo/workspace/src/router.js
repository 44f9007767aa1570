const cart = require('./cart');
const products = require('./products');

function route(req, res) {
  if (req.method == 'GET' && req.url == '/products') {
    return products.list(res);
  }
  if (req.url.startsWith('/cart')) {
    return cart.handle(req, res);
  }
  res.statusCode = 404;
  res.end('not found');
}

module.exports = { route };
