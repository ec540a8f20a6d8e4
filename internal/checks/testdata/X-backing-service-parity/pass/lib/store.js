const settings = require('./settings');

if (settings.debug) {
  console.warn('Debug mode is on. This is not recommended for production.');
}
