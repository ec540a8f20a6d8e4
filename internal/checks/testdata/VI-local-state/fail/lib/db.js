const low = require('lowdb');
const FileSync = require('lowdb/adapters/FileSync');

module.exports = low(new FileSync('db.json'));
