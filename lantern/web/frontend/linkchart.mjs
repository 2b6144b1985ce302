// The analyst's link chart: draws young people and the adults, phones, vehicles,
// handles and places linking them with Cytoscape.js (window.cytoscape, loaded from
// /static/vendor by the page), from the JSON the page names in data-src. Selecting a
// node shows the concerns behind it (dates, organisations, links; never case text).
// Loaded as a file: the Content Security Policy forbids inline script. Every value
// from the server is written with textContent, never as HTML.

const CYTOSCAPE_STYLESHEET_ID = "__________cytoscape_stylesheet";

const KIND_STYLE = {
  young_person: { shape: "ellipse", color: "#1d70b8" },
  person: { shape: "round-rectangle", color: "#d4351c" },
  phone: { shape: "diamond", color: "#f47738" },
  vehicle: { shape: "hexagon", color: "#4c2c92" },
  handle: { shape: "triangle", color: "#00703c" },
  postcode: { shape: "rectangle", color: "#505a5f" },
  place: { shape: "star", color: "#912b88" },
};

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  if (className) made.className = className;
  return made;
}

function styles() {
  const rules = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": 10,
        "text-wrap": "ellipsis",
        "text-max-width": 120,
        "text-valign": "bottom",
        "text-margin-y": 4,
        color: "#0b0c0c",
        // Entities grow with the young people they link: the strongest links stand out.
        width: "mapData(links, 2, 30, 24, 64)",
        height: "mapData(links, 2, 30, 24, 64)",
      },
    },
    { selector: 'node[kind = "young_person"]', style: { width: 16, height: 16 } },
    // Young people outside the viewer's scope carry no label: a count, not a name.
    { selector: "node[!visible]", style: { label: "", opacity: 0.55 } },
    { selector: "edge", style: { width: 1, "line-color": "#b1b4b6", "curve-style": "haystack" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffdd00" } },
  ];
  for (const [kind, look] of Object.entries(KIND_STYLE)) {
    rules.push({
      selector: `node[kind = "${kind}"]`,
      style: { shape: look.shape, "background-color": look.color },
    });
  }
  return rules;
}

async function showNode(panel, node) {
  panel.replaceChildren();
  panel.append(element("h3", `${node.kindTitle}: ${node.label}`, "govuk-heading-s"));
  if (!node.detail) {
    panel.append(
      element(
        "p",
        `A young person outside your scope, linked through ${node.concerns} concerns.`,
        "govuk-body",
      ),
    );
    return;
  }
  const response = await fetch(node.detail, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) {
    panel.append(element("p", "The concerns behind this link could not be loaded.", "govuk-body"));
    return;
  }
  const detail = await response.json();
  const table = element("table", undefined, "govuk-table");
  table.append(element("caption", `${detail.concerns.length} concerns`, "govuk-table__caption"));
  const head = element("tr", undefined, "govuk-table__row");
  for (const title of ["Observed", "Organisation", "Young person", "Through"]) {
    const cell = element("th", title, "govuk-table__header");
    cell.scope = "col";
    head.append(cell);
  }
  table.append(head);
  for (const concern of detail.concerns) {
    const row = element("tr", undefined, "govuk-table__row");
    for (const value of [concern.observed, concern.organisation, concern.youngPerson, concern.via]) {
      row.append(element("td", value, "govuk-table__cell"));
    }
    table.append(row);
  }
  panel.append(table);
}

async function start(container, panel) {
  const response = await fetch(container.dataset.src, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) {
    container.replaceChildren(element("p", "The chart could not be drawn.", "govuk-body"));
    return;
  }
  const data = await response.json();
  container.style.height = "32rem";
  // Cytoscape.js would add a <style> element for `position: relative`, which the CSP
  // refuses; it skips that when an element with its id exists, so set the style here.
  if (!document.getElementById(CYTOSCAPE_STYLESHEET_ID)) {
    const marker = document.createElement("meta");
    marker.id = CYTOSCAPE_STYLESHEET_ID;
    document.head.append(marker);
  }
  container.style.position = "relative";
  const chart = window.cytoscape({
    container,
    elements: data.elements,
    style: styles(),
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000 },
    wheelSensitivity: 0.3,
  });
  chart.on("tap", "node", (event) => {
    showNode(panel, event.target.data());
  });
  container.dataset.ready = "true";
  // Tests and tools find the chart here; nothing else reads it.
  container.linkChart = chart;
}

const container = document.getElementById("link-chart");
const panel = document.getElementById("node-detail");
if (container && panel && typeof window.cytoscape === "function") {
  start(container, panel);
}
