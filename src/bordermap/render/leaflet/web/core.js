/* The one meeting point of a bordermap page's Python-written data and its static scripts.
 *
 * Python decides the data and writes it as a JSON block (a script element of type
 * application/json, escaped by bordermap.safe.script_json) with the name of the function that
 * draws it and the page variables of its parent (a map or a layer group) and its map; the
 * page's script calls bordermapDraw with the block's id, once, where folium places the
 * element. These files are static: nothing here is written by a template.
 */

// Reads a JSON block and hands its data to its function. The block stays in the page: every
// script element in a page is one its file holds (tests/test_injection.py).
function bordermapDraw(id) {
  var block = document.getElementById(id);
  var part = JSON.parse(block.textContent);
  return window[part.draw](part.data, window[part.parent], window[part.map]);
}

// Text bordermap escaped as HTML, back to plain text (a textarea parses no markup).
function bordermapPlainText(html) {
  var box = document.createElement("textarea");
  box.innerHTML = html;
  return box.value;
}
