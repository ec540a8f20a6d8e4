// Starts the development server.
require('./server').start();
