module.exports = {
  database: {
    host: 'db.internal',
    user: 'shop',
    password: "correct-horse-battery-staple",
  },
  currency: 'EUR',
};
