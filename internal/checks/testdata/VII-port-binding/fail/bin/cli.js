const argv = require('yargs').options({
  port: {
    alias: 'p',
    default: 3000
  }
}).argv;
module.exports = argv;
