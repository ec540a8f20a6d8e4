module.exports = {mode: 'production'};
