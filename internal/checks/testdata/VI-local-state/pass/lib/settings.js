exports.dbType = process.env.DB_TYPE || 'postgres';
