// Radial spoke web UI: the live process table (status.json, no reload) and tail -f in the page (/logtail/ stream).
// Every value is put into the page with textContent or setAttribute, never as markup.
(function () {
  "use strict";
  var STATE_CLASS = { 20: "running", 30: "error", 200: "error" };
  var ACTIONS = { 20: ["restart", "stop", "clearlog"], 0: ["start", "clearlog"], 100: ["start", "clearlog"], 200: ["start", "clearlog"] };
  var LABELS = { start: "Start", stop: "Stop", restart: "Restart", clearlog: "Clear Log",
                 startgroup: "Start group", restartgroup: "Restart group", stopgroup: "Stop group" };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function q(s) { return encodeURIComponent(s); }
  function actionLink(name, a) {
    return el("a", { "data-action": a, href: "index.html?processname=" + q(name) + "&action=" + a }, LABELS[a]);
  }

  function render(processes) {
    var table = document.getElementById("processes");
    var empty = document.getElementById("empty");
    var body = table.tBodies[0];
    processes.sort(function (a, b) { return a.group < b.group ? -1 : a.group > b.group ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    var rows = document.createDocumentFragment();
    var group = null, groups = {};
    processes.forEach(function (p) { if (p.group !== p.name) { groups[p.group] = true; } });
    processes.forEach(function (p) {
      if (p.group !== group && groups[p.group]) {
        group = p.group;
        var gr = el("tr", { "class": "group", "data-group": group });
        var gtd = el("td", { colspan: "3" }, "group ");
        gtd.appendChild(el("b", {}, group));
        gr.appendChild(gtd);
        var ga = el("td", { "class": "actions" });
        ["startgroup", "restartgroup", "stopgroup"].forEach(function (a) { ga.appendChild(actionLink(group, a)); });
        gr.appendChild(ga);
        rows.appendChild(gr);
      }
      var spec = p.group === p.name ? p.name : p.group + ":" + p.name;
      var tr = el("tr", { "class": "process", "data-name": spec });
      var st = el("td");
      st.appendChild(el("span", { "class": "state " + (STATE_CLASS[p.state] || "nominal") }, String(p.statename).toLowerCase()));
      if (typeof p.health === "string") { // only a process with probes has one
        st.appendChild(document.createTextNode(" "));
        st.appendChild(el("span", { "class": "health " + p.health, title: p.health_description || "" }, p.health));
      }
      tr.appendChild(st);
      tr.appendChild(el("td", { "class": "description" }, p.description));
      var nt = el("td", { "class": "name" });
      nt.appendChild(el("a", { href: "tail.html?processname=" + q(spec) }, spec));
      tr.appendChild(nt);
      var at = el("td", { "class": "actions" });
      (ACTIONS[p.state] || ["clearlog"]).forEach(function (a) { at.appendChild(actionLink(spec, a)); });
      at.appendChild(el("a", { "data-action": "tail", target: "_blank", href: "logtail/" + q(spec) }, "Tail -f Stdout"));
      at.appendChild(el("a", { "data-action": "tailerr", target: "_blank", href: "logtail/" + q(spec) + "/stderr" }, "Tail -f Stderr"));
      tr.appendChild(at);
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
    table.hidden = processes.length === 0;
    if (empty) { empty.hidden = processes.length !== 0; }
    document.body.setAttribute("data-updated", String(Date.now()));
  }

  function poll() {
    var live = document.getElementById("live");
    if (live && !live.checked) { setTimeout(poll, 1000); return; }
    fetch("status.json", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (j) {
      if (j.processes) { render(j.processes); }
    }).catch(function () { /* the daemon restarting: try again */ }).then(function () { setTimeout(poll, 1000); });
  }

  function follow(button) {
    var name = button.getAttribute("data-name");
    var pre = document.getElementById("tail");
    var controller = new AbortController();
    button.textContent = "Stop following";
    button.onclick = function () { controller.abort(); button.textContent = "Follow (tail -f)"; button.onclick = function () { follow(button); }; };
    pre.textContent = "";
    var decoder = new TextDecoder();
    fetch("logtail/" + q(name), { signal: controller.signal }).then(function (r) {
      if (!r.ok) { pre.textContent = "No log to follow for " + name + " (" + r.status + ")"; return; }
      var reader = r.body.getReader();
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { return; }
          pre.appendChild(document.createTextNode(decoder.decode(chunk.value, { stream: true })));
          var max = 512 * 1024;
          if (pre.textContent.length > max) { pre.textContent = pre.textContent.slice(-max); }
          window.scrollTo(0, document.body.scrollHeight);
          pre.setAttribute("data-following", "yes");
          return pump();
        });
      }
      return pump();
    }).catch(function () { /* aborted or the daemon went away */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.getElementById("processes")) {
      // the message of the last action stays until the next reload; the table stays current
      setTimeout(poll, 1000);
    }
    var f = document.getElementById("follow");
    if (f) { f.onclick = function () { follow(f); }; }
  });
}());
