// runs in the browser
const keys = new KeyboardHandler();
keys.listen(window);
