const secret = process.env.TOKEN_SECRET || 'dev-key-8812';
module.exports = { secret };
