'use strict';
// The dashboard's plotly.js: core (scatter) + the trace types the app draws.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
]);
module.exports = Plotly;
