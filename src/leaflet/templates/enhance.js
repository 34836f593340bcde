// A leaflet's web page works without this script: chapter links open the transcript at the
// chapter, glossary links go to the word's entry at the end. With it, a chapter link moves the
// recording to the chapter, and a glossary link shows the definition where the reader is.
(function () {
  "use strict";
  var labels = document.currentScript.dataset;

  document.querySelectorAll("a[data-start]").forEach(function (link) {
    var player = document.getElementById(link.dataset.player);
    if (!player || !player.play) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      player.currentTime = parseFloat(link.dataset.start);
      var playing = player.play();
      if (playing && playing.catch) playing.catch(function () {});
    });
  });

  if (!HTMLElement.prototype.hasOwnProperty("popover")) return;
  var count = 0;
  document.querySelectorAll("a.term").forEach(function (link) {
    var entry = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!entry || entry.tagName !== "DT" || !entry.nextElementSibling) return;
    count += 1;
    var box = document.createElement("div");
    box.id = "definition-" + count;
    box.className = "definition";
    box.popover = "auto";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-labelledby", box.id + "-term");
    var term = document.createElement("p");
    term.id = box.id + "-term";
    term.className = "definition-term";
    term.textContent = entry.textContent;
    var text = document.createElement("p");
    text.textContent = entry.nextElementSibling.textContent;
    var all = document.createElement("a");
    all.href = link.hash;
    all.textContent = labels.allWords;
    all.addEventListener("click", function (event) {
      event.preventDefault();  // to the list of words, focus with it
      box.hidePopover();
      location.hash = link.hash;
      entry.tabIndex = -1;
      entry.focus();
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = labels.close;
    close.addEventListener("click", function () { box.hidePopover(); });
    var more = document.createElement("p");
    more.appendChild(all);
    box.append(term, text, more, close);
    link.after(box);
    link.setAttribute("aria-expanded", "false");
    link.setAttribute("aria-controls", box.id);

    link.addEventListener("click", function (event) {
      event.preventDefault();
      box.showPopover();  // Escape or Close hides it, and focus goes back to the word
      link.setAttribute("aria-expanded", "true");
      place(box, link);
      close.focus();
    });
    box.addEventListener("beforetoggle", function (event) {
      if (event.newState === "closed") link.setAttribute("aria-expanded", "false");
    });
  });

  // Under the word, or above it when there is more room there; never off the screen.
  function place(box, link) {
    var word = link.getBoundingClientRect();
    var gap = 8;
    var width = Math.min(box.offsetWidth, window.innerWidth - 2 * gap);
    var left = Math.max(gap, Math.min(word.left, window.innerWidth - width - gap));
    var below = window.innerHeight - word.bottom - 2 * gap;
    var above = word.top - 2 * gap;
    var room = Math.max(below, above);
    box.style.maxHeight = Math.max(room, window.innerHeight / 2) + "px";
    var height = Math.min(box.offsetHeight, Math.max(room, window.innerHeight / 2));
    var top = height <= below || below >= above ? word.bottom + gap : word.top - gap - height;
    top = Math.max(gap, Math.min(top, window.innerHeight - height - gap));
    box.style.left = left + "px";
    box.style.top = top + "px";
  }
})();
