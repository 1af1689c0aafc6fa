// The live page and the moderator console: one EventSource, forms sent with fetch, the DOM updated
// from the stream. Text from people is only ever set with textContent.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var statusEl = document.getElementById("live-status");
  var list = document.getElementById("questions");
  var template = document.getElementById("question-template");
  var moderator = !!root.dataset.counts;
  var filter = "open";

  function setStatus(state, text) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  }

  // Questions ------------------------------------------------------------------------------------
  function questionItem(q) {
    var li = list.querySelector('[data-question="' + q.id + '"]');
    if (!li) {
      li = template.content.firstElementChild.cloneNode(true);
      li.dataset.question = q.id;
      li.querySelectorAll("form").forEach(function (form) {
        form.action = form.getAttribute("action").replace("/questions/0/", "/questions/" + q.id + "/");
      });
      list.appendChild(li);
      bindForms(li);
    }
    return li;
  }

  function showQuestion(q) {
    var visible = moderator || q.status === "approved" || q.status === "answered";
    var existing = list.querySelector('[data-question="' + q.id + '"]');
    if (!visible) { if (existing) existing.remove(); return sortQuestions(); }
    var li = questionItem(q);
    li.dataset.status = q.status;
    li.dataset.upvotes = q.upvotes;
    li.dataset.pinned = q.pinned ? "1" : "";
    li.classList.toggle("is-pinned", !!q.pinned);
    li.querySelector(".question-text").textContent = q.text;
    var edit = li.querySelector("[data-edit-text]");
    if (edit && document.activeElement !== edit) edit.value = q.text;
    li.querySelector(".question-asker").textContent = q.asker || "Anonymous";
    var to = li.querySelector(".question-to");
    if (to) to.textContent = q.to || "";
    li.querySelector("[data-votes]").textContent = q.upvotes;
    li.querySelector(".question-state").textContent =
      q.pinned ? "Now answering" : q.status === "answered" ? "Answered" : q.status === "pending" ? "Waiting for approval" :
      q.status === "dismissed" ? "Dismissed" : "";
    var upvote = li.querySelector('form[action*="/upvote/"]');
    if (upvote) upvote.hidden = q.status !== "approved";
    sortQuestions();
  }

  function rank(li) {
    // Now answering first, then open questions by votes, answered ones last.
    var s = li.dataset.status;
    return (li.dataset.pinned ? 0 : s === "pending" ? 1 : s === "approved" ? 2 : 3) * 1e9 - Number(li.dataset.upvotes || 0);
  }

  function sortQuestions() {
    var items = Array.prototype.slice.call(list.children);
    items.sort(function (a, b) { return rank(a) - rank(b) || Number(a.dataset.question) - Number(b.dataset.question); });
    items.forEach(function (li) {
      list.appendChild(li);
      if (moderator) {
        var s = li.dataset.status;
        li.hidden = !(filter === "all" || (filter === "open" && (s === "pending" || s === "approved")) || filter === s);
      }
    });
    var empty = document.getElementById("no-questions");
    if (empty) empty.hidden = items.length > 0;
  }

  document.querySelectorAll("[data-filter]").forEach(function (button) {
    button.addEventListener("click", function () {
      filter = button.dataset.filter;
      document.querySelectorAll("[data-filter]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      sortQuestions();
    });
  });

  // Agenda, announcements, polls ------------------------------------------------------------------------
  function setCurrent(data) {
    document.querySelectorAll("#agenda li").forEach(function (li) {
      var current = String(data.participation) === li.dataset.participation;
      li.classList.toggle("is-current", current);
      if (current) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
    });
  }

  function announce(data) {
    var box = document.getElementById("announcements");
    if (!box) return;
    var p = document.createElement("p");
    p.className = "announcement";
    p.textContent = data.text;
    box.insertBefore(p, box.firstChild);
    while (box.children.length > 3) box.removeChild(box.lastChild);
  }

  function refreshPolls() {
    // A new poll: take the polls section as the server renders it now (forms, tokens and all).
    fetch(root.dataset.page, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("polls");
        var polls = document.getElementById("polls");
        if (fresh && polls) { polls.replaceWith(fresh); bindForms(fresh); }
      });
  }

  function showPoll(data) {
    var box = document.querySelector('[data-poll="' + data.id + '"]');
    if (!box) return refreshPolls();
    box.dataset.status = data.status;
    box.querySelector(".poll-status").textContent = data.status.charAt(0).toUpperCase() + data.status.slice(1);
    var form = box.querySelector(".poll-form");
    if (form) form.hidden = data.status !== "open" || form.dataset.voted === "1";
    var results = box.querySelector(".poll-results");
    if (data.counts) {
      results.hidden = false;
      results.querySelectorAll("li").forEach(function (li, i) {
        var meter = li.querySelector("meter");
        meter.max = Math.max(data.total, 1);
        meter.value = data.counts[i] || 0;
        li.querySelector(".poll-count").textContent = data.counts[i] || 0;
      });
    } else if (!moderator) {
      results.hidden = true;
    }
  }

  // The stream -------------------------------------------------------------------------------------------
  var handlers = {
    question_submitted: showQuestion, question_approved: showQuestion, question_updated: showQuestion,
    agenda_current: setCurrent, announcement: announce,
    poll_prepared: refreshPolls, poll_opened: showPoll, poll_closed: showPoll, poll_results: showPoll,
    note_added: function (data) {
      var notes = document.getElementById("notes");
      if (!notes) return;
      var li = document.createElement("li");
      var meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = new Date(data.at).toTimeString().slice(0, 5) + (data.speaker ? " · " + data.speaker : "");
      li.appendChild(meta);
      li.appendChild(document.createElement("br"));
      li.appendChild(document.createTextNode(data.text));
      notes.appendChild(li);
    },
    qa_mode: function (data) { var select = document.getElementById("qa-mode"); if (select) select.value = data.mode; }
  };

  function connect() {
    var url = root.dataset.stream + "?last=" + encodeURIComponent(root.dataset.seq || "0");
    var source = new EventSource(url);
    source.onopen = function () { setStatus("live", "Live"); };
    source.onerror = function () { setStatus("reconnecting", "Reconnecting…"); };
    Object.keys(handlers).forEach(function (kind) {
      source.addEventListener(kind, function (message) {
        root.dataset.seq = message.lastEventId;
        handlers[kind](JSON.parse(message.data));
      });
    });
  }

  // Forms --------------------------------------------------------------------------------------------------
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function bindForms(scope) {
    scope.querySelectorAll("form[data-live-form]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (form.dataset.busy) return;  // a double click sends once
        form.dataset.busy = "1";
        var message = form.querySelector("[data-message]");
        var body = new FormData(form);
        fetch(form.action, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", "X-CSRFToken": body.get("csrfmiddlewaretoken") }
        }).then(function (response) {
          return response.json().catch(function () { return { error: response.status === 429 ? "Too many requests: please wait a minute." : "Something went wrong; please try again." }; });
        }).then(function (data) {
          if (message) message.textContent = data.error || data.message || "";
          if (!data.error) {
            if (form.hasAttribute("data-reset")) form.reset();
            var key = form.querySelector("[data-key]");
            if (key) key.value = newKey();
            if (form.classList.contains("poll-form")) { form.dataset.voted = "1"; form.hidden = true; }
            if (form.hasAttribute("data-refresh")) refreshPolls();
          }
        }).catch(function () {
          if (message) message.textContent = "Not sent: the connection dropped. Please try again.";
        }).finally(function () { delete form.dataset.busy; });
      });
    });
  }

  if (moderator) {
    setInterval(function () {
      fetch(root.dataset.counts, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        ["connected", "joined", "pending"].forEach(function (k) {
          var el = document.querySelector('[data-count="' + k + '"]');
          if (el) el.textContent = data[k];
        });
      }).catch(function () {});
    }, 5000);
  }

  // The video inside the page (Jitsi's IFrame API): this person's join is asked for when they choose
  // to watch here, and Jitsi's script is loaded only then. If anything fails, the new-tab link stays.
  var embed = document.getElementById("video-embed");
  var watch = document.getElementById("video-watch");
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.JitsiMeetExternalAPI) return resolve();
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("The video server could not be reached.")); };
      document.head.appendChild(script);
    });
  }
  if (embed && watch) {
    watch.hidden = false;
    watch.addEventListener("click", function () {
      var help = document.getElementById("video-help");
      watch.disabled = true;
      help.textContent = "Opening the video…";
      fetch(embed.dataset.join, { credentials: "same-origin" }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || "The video room is not open yet.");
          return data;
        });
      }).then(function (join) {
        return loadScript(embed.dataset.script).then(function () { return join; });
      }).then(function (join) {
        var options = Object.assign({}, join.options, { parentNode: embed, width: "100%", height: "100%" });
        embed.hidden = false;
        new window.JitsiMeetExternalAPI(join.domain, options);
        watch.hidden = true;
        help.textContent = "The video plays above. Questions and polls stay on this page.";
      }).catch(function (error) {
        watch.disabled = false;
        help.textContent = error.message + " You can open the video in a new tab instead.";
      });
    });
  }

  bindForms(document);
  sortQuestions();
  connect();
})();
