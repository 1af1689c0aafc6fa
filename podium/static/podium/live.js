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

  var announcer = document.getElementById("live-announce");
  var mine = {};  // the ids of this attendee's own questions: no upvote button on them
  document.querySelectorAll("#my-questions [data-mine]").forEach(function (li) { mine[li.dataset.mine] = true; });
  var connected = false;

  function setStatus(state, text) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  }

  // The one status region: what is new is said once, politely; the lists themselves are not live regions.
  function say(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // An update never moves keyboard focus: an item that must move is moved alone, and if the focus was
  // inside it, it is put back where it was. If what had focus is hidden, the focus goes to its item.
  function keepFocus(change) {
    var had = document.activeElement;
    change();
    if (!had || had === document.body || had === document.activeElement) return;
    if (document.contains(had) && had.offsetParent !== null) { had.focus({ preventScroll: true }); return; }
    var home = had.closest && had.closest("[data-question], [data-poll]");
    if (!home || !document.contains(home)) return;
    var next = Array.prototype.find.call(home.querySelectorAll("button"), function (b) { return b.offsetParent !== null; });
    if (next) return next.focus({ preventScroll: true });
    if (!home.hasAttribute("tabindex")) home.setAttribute("tabindex", "-1");
    home.focus({ preventScroll: true });
  }

  function plural(n, word) { return n + " " + word + (Number(n) === 1 ? "" : "s"); }

  // Questions ------------------------------------------------------------------------------------
  // As the server renders them (live/_question.html); the console also names approved questions.
  var STATE_TEXT = { answered: "Answered", pending: "Waiting for approval", dismissed: "Dismissed" };
  if (moderator) STATE_TEXT.approved = "Approved";
  var FOR_ASKER = { pending: "Waiting for approval", approved: "On the board", answered: "Answered", dismissed: "Not taken up" };

  function questionItem(q) {
    var li = list.querySelector('[data-question="' + q.id + '"]');
    if (li) return { li: li, created: false };
    li = template.content.firstElementChild.cloneNode(true);
    li.dataset.question = q.id;
    li.querySelector(".question-text").id = "q" + q.id + "-text";
    li.querySelectorAll("[aria-describedby]").forEach(function (el) { el.setAttribute("aria-describedby", "q" + q.id + "-text"); });
    li.querySelectorAll("form").forEach(function (form) {
      form.action = form.getAttribute("action").replace("/questions/0/", "/questions/" + q.id + "/");
    });
    var edit = li.querySelector("[data-edit-text]");
    if (edit) { edit.id = "edit-" + q.id; li.querySelector('label[for="edit-0"]').htmlFor = edit.id; }
    bindForms(li);
    return { li: li, created: true };
  }

  function rank(li) {
    // Now answering first, then open questions by votes, answered ones last.
    var s = li.dataset.status;
    return (li.dataset.pinned ? 0 : s === "pending" ? 1 : s === "approved" ? 2 : 3) * 1e9 - Number(li.dataset.upvotes || 0);
  }

  function before(a, b) { return rank(a) - rank(b) || Number(a.dataset.question) - Number(b.dataset.question); }

  // Put one item where its rank says, touching nothing else; nothing moves if it is already in place.
  function place(li) {
    var prev = li.previousElementSibling, next = li.nextElementSibling;
    if (li.parentNode === list && (!prev || before(prev, li) < 0) && (!next || before(li, next) < 0)) return;
    var target = null;
    for (var el = list.firstElementChild; el; el = el.nextElementSibling) {
      if (el !== li && before(li, el) < 0) { target = el; break; }
    }
    if (li.parentNode === list && (target === li.nextElementSibling)) return;
    keepFocus(function () { list.insertBefore(li, target); });
  }

  function applyFilter(li) {
    if (!moderator) return;
    var s = li.dataset.status;
    li.hidden = !(filter === "all" || (filter === "open" && (s === "pending" || s === "approved")) || filter === s);
  }

  function emptyNote() {
    var empty = document.getElementById("no-questions");
    if (empty) empty.hidden = list.children.length > 0;
  }

  function showQuestion(q, kind) {
    updateMine(q);
    var visible = moderator || q.status === "approved" || q.status === "answered";
    var existing = list.querySelector('[data-question="' + q.id + '"]');
    if (!visible) {
      if (existing) removeQuestion(existing);
      return emptyNote();
    }
    var found = questionItem(q), li = found.li;
    var wasStatus = li.dataset.status;
    li.dataset.status = q.status;
    li.dataset.upvotes = q.upvotes;
    li.dataset.pinned = q.pinned ? "1" : "";
    li.classList.toggle("is-pinned", !!q.pinned);
    li.querySelector(".question-text").textContent = q.text;
    var edit = li.querySelector("[data-edit-text]");
    if (edit && document.activeElement !== edit) edit.value = q.text;
    var who = q.asker || "an anonymous attendee";
    li.querySelector(".question-asker").textContent = moderator ? (q.asker || "") : (q.asker || "Anonymous");
    var hiddenPart = li.querySelector("[data-hidden-part]");
    if (hiddenPart) {
      hiddenPart.hidden = !q.hidden;  // the asker's choice, or the event's attribution rule
      hiddenPart.querySelector("[data-hidden-label]").textContent = (q.anonymous ? "Anonymous: name" : "Name") + " hidden from the audience";
    }
    li.querySelectorAll("[data-label]").forEach(function (el) {
      el.setAttribute("aria-label", el.dataset.label + ", question from " + who);
    });
    var to = li.querySelector(".question-to");
    if (to) to.textContent = q.to || "";
    var toPart = li.querySelector("[data-to-part]");
    if (toPart) toPart.hidden = !q.to;
    li.querySelector("[data-votes]").textContent = q.upvotes + " \u25B2";
    li.querySelector("[data-votes-words]").textContent = plural(q.upvotes, "upvote");
    li.querySelector(".question-state").textContent = q.pinned ? "Now answering" : STATE_TEXT[q.status] || "";
    var isMine = !!mine[q.id];
    if (isMine) li.dataset.mine = "1";
    var mineLabel = li.querySelector("[data-mine-label]");
    if (mineLabel) mineLabel.hidden = !isMine;
    var upvote = li.querySelector(".upvote-form");
    if (upvote) {
      upvote.querySelector("button").setAttribute("aria-label", "Upvote, question from " + who);
      var hide = q.status !== "approved" || isMine || root.dataset.ended === "1";
      if (upvote.hidden !== hide) keepFocus(function () { upvote.hidden = hide; });
    }
    applyFilter(li);
    if (found.created) {
      keepFocus(function () { list.appendChild(li); });
      emptyNote();
    }
    place(li);
    if (kind === "question_approved" && (found.created || wasStatus === "pending")) {
      say("New question on the board" + (q.asker ? " from " + q.asker : "") + ": " + q.text);
    } else if (kind === "question_submitted" && found.created) {
      say("New question waiting for approval from " + q.asker + ": " + q.text);
    }
  }

  // A question leaves the board: if the focus was in it, it goes to a neighbour, never to the page's top.
  function removeQuestion(li) {
    var inside = li.contains(document.activeElement);
    var neighbour = li.nextElementSibling || li.previousElementSibling || document.getElementById("qa-title");
    li.remove();
    if (!inside) return;
    var button = neighbour.querySelector && neighbour.querySelector(".upvote-form:not([hidden]) button, [data-action]");
    var target = button || neighbour;
    if (!button && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }

  // The attendee's own questions, with where each stands.
  function updateMine(q) {
    var item = document.querySelector('#my-questions [data-mine="' + q.id + '"]');
    if (item) item.querySelector("[data-mine-status]").textContent = FOR_ASKER[q.status] || q.status;
  }

  function addMine(data, anonymous) {
    var mineList = document.getElementById("my-questions");
    if (!mineList || !data.created) return;
    mine[data.id] = true;
    var li = document.createElement("li");
    li.dataset.mine = data.id;
    var text = document.createElement("span");
    text.className = "my-question-text";
    text.textContent = data.text;
    var status = document.createElement("span");
    status.className = "badge";
    status.setAttribute("data-mine-status", "");
    status.textContent = data.status_label;
    li.appendChild(text);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(status);
    if (anonymous) {
      var anon = document.createElement("span");
      anon.className = "muted";
      anon.textContent = "(asked anonymously)";
      li.appendChild(document.createTextNode(" "));
      li.appendChild(anon);
    }
    mineList.insertBefore(li, mineList.firstChild);
    var none = document.getElementById("no-mine");
    if (none) none.hidden = true;
    var onBoard = list.querySelector('[data-question="' + data.id + '"]');
    if (onBoard) {
      onBoard.dataset.mine = "1";
      var label = onBoard.querySelector("[data-mine-label]");
      if (label) label.hidden = false;
      var upvote = onBoard.querySelector(".upvote-form");
      if (upvote) keepFocus(function () { upvote.hidden = true; });
    }
  }

  document.querySelectorAll("[data-filter]").forEach(function (button) {
    button.addEventListener("click", function () {
      filter = button.dataset.filter;
      document.querySelectorAll("[data-filter]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      Array.prototype.forEach.call(list.children, applyFilter);
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
    say("Announcement: " + data.text);
  }

  // A poll this page does not show yet: take it as the server renders it now (forms, tokens and all)
  // and add it alone; the polls already shown are left as they are.
  function addPoll(id, then) {
    fetch(root.dataset.page, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector('[data-poll="' + id + '"]');
        var polls = document.getElementById("polls");
        if (!fresh || !polls || polls.querySelector('[data-poll="' + id + '"]')) return;
        var none = polls.querySelector("p.muted");
        if (none) none.remove();
        polls.appendChild(document.importNode(fresh, true));
        var box = polls.querySelector('[data-poll="' + id + '"]');
        bindForms(box);
        if (then) then(box);
      });
  }

  var FITS = {
    "poll-open": function (d) { return d.status !== "open"; },
    "poll-close": function (d) { return d.status === "open"; },
    "poll-show": function (d) { return d.status !== "draft" && !d.results_shown; },
    "poll-hide": function (d) { return !!d.results_shown; }
  };

  function pollOpened(data) {
    var question = data.question;
    if (!document.querySelector('[data-poll="' + data.id + '"]')) {
      return addPoll(data.id, function () { showPoll(data); say("Poll open: " + question); });
    }
    showPoll(data);
    say("Poll open: " + question);
  }

  function showPoll(data) {
    var box = document.querySelector('[data-poll="' + data.id + '"]');
    if (!box) return addPoll(data.id);
    keepFocus(function () {
      box.dataset.status = data.status;
      box.dataset.resultsShown = data.results_shown ? "1" : "";
      box.querySelector(".poll-status").textContent = data.status.charAt(0).toUpperCase() + data.status.slice(1);
      var voted = box.querySelector("[data-voted]");
      var form = box.querySelector(".poll-form");
      if (form) form.hidden = data.status !== "open" || (voted && !voted.hidden) || root.dataset.ended === "1";
      box.querySelectorAll("[data-poll-action]").forEach(function (f) { f.hidden = !FITS[f.dataset.pollAction](data); });
      var results = box.querySelector(".poll-results");
      if (data.counts) {
        results.hidden = false;
        results.querySelectorAll("li").forEach(function (li, i) {
          var n = data.counts[i] || 0;
          var meter = li.querySelector("meter");
          meter.max = Math.max(data.total, 1);
          meter.value = n;
          li.querySelector(".poll-count").textContent = n;
          li.querySelector(".poll-unit").textContent = n === 1 ? "vote" : "votes";
        });
      } else if (!moderator) {
        results.hidden = true;
      }
    });
  }

  function sessionEnded() {
    root.dataset.ended = "1";
    var banner = document.getElementById("session-ended");
    var endPanel = document.querySelector("[data-end-panel]");
    var wasEnding = endPanel && endPanel.contains(document.activeElement);
    keepFocus(function () {
      if (banner) banner.hidden = false;
      document.querySelectorAll(".ask-form, .upvote-form, .poll-form, [data-end-panel]").forEach(function (f) { f.hidden = true; });
    });
    setStatus("ended", "Session ended");
    if (wasEnding && banner) {  // the panel the moderator was in is gone: they land on what it did,
      banner.setAttribute("tabindex", "-1");  // which a screen reader reads, so it is not said again
      banner.focus({ preventScroll: true });
    } else {
      say("The session has ended.");
    }
  }

  // The stream -------------------------------------------------------------------------------------------
  var handlers = {
    question_submitted: function (data) { showQuestion(data, "question_submitted"); },
    question_approved: function (data) { showQuestion(data, "question_approved"); },
    question_updated: function (data) { showQuestion(data, "question_updated"); },
    agenda_current: setCurrent, announcement: announce,
    poll_prepared: showPoll, poll_opened: pollOpened, poll_closed: showPoll, poll_results: showPoll,
    note_added: function (data) {
      var notes = document.getElementById("notes");
      if (!notes) return;
      var li = document.createElement("li");
      var meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = data.time + (data.speaker ? " · " + data.speaker : "");
      li.appendChild(meta);
      li.appendChild(document.createElement("br"));
      li.appendChild(document.createTextNode(data.text));
      notes.appendChild(li);
    },
    qa_mode: function (data) { var select = document.getElementById("qa-mode"); if (select) select.value = data.mode; },
    session_ended: sessionEnded
  };

  function connect() {
    var url = root.dataset.stream + "?last=" + encodeURIComponent(root.dataset.seq || "0");
    var source = new EventSource(url);
    source.onopen = function () {
      if (connected === null) say("Connected again.");
      connected = true;
      if (root.dataset.ended === "1") setStatus("ended", "Session ended"); else setStatus("live", "Live");
    };
    source.onerror = function () {
      if (connected) say("Connection lost; reconnecting.");
      connected = null;
      setStatus("reconnecting", "Reconnecting…");
    };
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
        var message = form.querySelector("[data-message]");
        var upvoteButton = form.querySelector("[data-upvote]");
        form.dataset.busy = "1";
        var body = new FormData(form);
        var anonymous = body.get("anonymous") === "on";
        fetch(form.action, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", "X-CSRFToken": body.get("csrfmiddlewaretoken") }
        }).then(function (response) {
          return response.json().catch(function () { return { error: response.status === 429 ? "Too many requests: please wait a minute." : "Something went wrong; please try again." }; });
        }).then(function (data) {
          if (message) message.textContent = data.error || data.message || "";
          else if (data.error || (data.message && !upvoteButton)) say(data.error || data.message);
          if (!data.error) {
            if (form.hasAttribute("data-reset")) form.reset();
            var key = form.querySelector("[data-key]");
            if (key) { key.value = newKey(); addMine(data, anonymous); }
            if (upvoteButton) {
              // A toggle: pressed again, the form asks to withdraw the upvote. The count follows from the
              // question_updated event everyone receives.
              var upvoted = data.upvoted !== false;
              upvoteButton.setAttribute("aria-pressed", upvoted ? "true" : "false");
              upvoteButton.textContent = upvoted ? "\u25B2 Upvoted" : "\u25B2 Upvote";
              form.querySelector("[data-withdraw]").value = upvoted ? "on" : "";
            }
            if (form.classList.contains("poll-form")) {
              var box = form.closest("[data-poll]");
              var voted = box.querySelector("[data-voted]");
              var choice = body.get("option");
              var label = form.querySelectorAll(".poll-option")[Number(choice)];
              if (voted) {
                voted.querySelector("[data-voted-answer]").textContent = label ? label.textContent.trim() : "";
                voted.hidden = false;
              }
              form.hidden = true;
              if (voted) voted.focus();  // the form the attendee was in is gone: they land on what it did
            }
          }
        }).catch(function () {
          if (message) message.textContent = "Not sent: the connection dropped. Please try again.";
          else say("Not sent: the connection dropped. Please try again.");
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
          var noun = document.querySelector('[data-count-noun="' + k + '"]');  // "1 question", "2 questions"
          if (noun) noun.textContent = Number(data[k]) === 1 ? noun.dataset.one : noun.dataset.many;
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
  // Once, before anyone has moved in the page: the server's order, as the script keeps it from now on.
  Array.prototype.slice.call(list.children).sort(before).forEach(function (li) { list.appendChild(li); applyFilter(li); });
  connect();
})();
