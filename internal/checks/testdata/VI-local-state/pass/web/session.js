const session = require('express-session');
const RedisStore = require('connect-redis').default;
module.exports = (client) => session({ store: new RedisStore({ client }), secret: process.env.SESSION_SECRET });
