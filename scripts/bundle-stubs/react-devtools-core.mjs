// Ink loads react-devtools-core only when DEV=true; umltop's bundle never does.
export default { initialize() {}, connectToDevTools() {} };
