// the tests start their own servers, on ports they choose
const server = require('../server');
server.listen(0);
server.listen(4000, () => {});
