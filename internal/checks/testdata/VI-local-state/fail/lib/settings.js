exports.dbType = 'dirty';
