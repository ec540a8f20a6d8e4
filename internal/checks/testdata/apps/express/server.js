const express = require('express');

const app = express();
app.get('/', (req, res) => res.send('hello'));

const server = app.listen(process.env.PORT || 3000, () => {
  console.log(JSON.stringify({ msg: 'listening', port: server.address().port }));
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
