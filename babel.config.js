// pcf-scripts runs babel-loader over every .js file, node_modules included. azure-maps-control must be left
// untouched: MapLibre builds its Web Worker from the source text of its own functions, and babel's injected
// helpers (e.g. _slicedToArray) live outside those functions, so the worker fails ("_slicedToArray is not
// defined") and no points are ever drawn. The package ships ES2017+ code that needs no transpiling.
module.exports = {
  ignore: [(filename) => /[\\/]node_modules[\\/]azure-maps-control[\\/]/.test(filename)],
};
