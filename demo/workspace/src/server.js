const http = require('http');
const { route } = require('./router');

const PORT = process.env.PORT || 8080;

function start() {
  const server = http.createServer((req, res) => {
    try {
      route(req, res);
    } catch (err) {}
  });
  server.listen(PORT);
  return server;
}

// TODO: graceful shutdown on SIGTERM
module.exports = { start };
