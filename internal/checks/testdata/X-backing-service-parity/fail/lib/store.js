const settings = require('./settings');

if (settings.dbType === 'memory') {
  console.warn('MemoryDB is used. This is not recommended for production.');
}
