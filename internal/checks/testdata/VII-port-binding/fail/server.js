const express = require('express');
const app = express();
app.listen(3000, () => {});
process.on('SIGTERM', () => process.exit(0));
