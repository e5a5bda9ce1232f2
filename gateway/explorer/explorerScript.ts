/**
 * The explorer's own browser script, served as /explorer/explorer.js (plain ES2017 with React and
 * GraphiQL as globals, so no bundler is needed). It reads the published schema (for the docs, no
 * introspection needed) and the example operations, and sends every query to /graphql with the
 * bearer token typed into the page; the token stays in the page's memory, never in storage.
 */
export const EXPLORER_SCRIPT = String.raw`(function () {
  'use strict';
  var tokenInput = document.getElementById('bearer-token');
  var status = document.getElementById('explorer-status');

  function fetcher(params) {
    var headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    var token = tokenInput.value.trim().replace(/^Bearer\s+/i, '');
    if (token !== '') headers.authorization = 'Bearer ' + token;
    return fetch('graphql', { method: 'POST', headers: headers, body: JSON.stringify(params) }).then(function (response) {
      return response.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (e) {
          return { errors: [{ message: 'HTTP ' + response.status + ' from the gateway: ' + text.slice(0, 200) }] };
        }
      });
    });
  }

  Promise.all([
    fetch('explorer/schema.graphql').then(function (r) { return r.text(); }),
    fetch('explorer/examples.json').then(function (r) { return r.json(); }),
  ]).then(function (loaded) {
    var schema = GraphiQL.GraphQL.buildSchema(loaded[0]);
    var examples = loaded[1];
    var tabs = examples.map(function (example) {
      return { query: example.query, variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined };
    });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        schema: schema,
        defaultTabs: tabs,
        defaultEditorToolsVisibility: 'variables',
        isHeadersEditorEnabled: false,
        storage: { getItem: function () { return null; }, setItem: function () {}, removeItem: function () {}, clear: function () {}, length: 0 },
      }),
    );
    status.textContent = 'Schema loaded. One tab per role: ' + examples.map(function (e) { return e.title; }).join(' · ');
  }).catch(function (error) {
    status.textContent = 'The explorer could not load the schema: ' + error;
  });
})();
`;
