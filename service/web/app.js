"use strict";
// The editor's page: sends the article to /v1/articles/stream and shows each block's English
// beside its French as the segments arrive, and lists the suggestions waiting for review. No
// framework, no build step.

const FLAG_REASONS = {
  repetition: "The translation repeats itself: the model may have looped.",
  length_ratio: "The translation is much shorter or longer than its source.",
  untranslated: "The output is identical to the French source.",
  missing_digits: "A number in the source does not appear in the translation.",
  kept_english: "Detected as English and kept as it was.",
  glossary: "A glossary term could not be placed in this translation.",
  unsupported_number: "The summary has a number the article does not.",
  longer_than_source: "The summary is longer than the article.",
  truncated: "The summary was cut short by the length limit.",
};
const STATUS_WORDS = {
  401: "This service needs an API key: open the page with ?api_key=YOUR_KEY in the address.",
  403: "The API key was refused.",
  413: "The article is too long for this service.",
  422: "The service could not read this request.",
  429: "The service is busy right now; try again in a moment.",
  503: "The service is starting or unavailable; try again shortly.",
};

const $ = (id) => document.getElementById(id);
let state = { text: "", blocks: [], segments: [], markdown: "" };

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
  $("status").textContent = "";
  $("translate").disabled = false;
}

async function errorMessage(response) {
  let detail = "";
  try {
    detail = (await response.json()).error.message;
  } catch (e) {
    detail = "";
  }
  const words = STATUS_WORDS[response.status] || `The service answered with an error (${response.status}).`;
  return detail ? `${words} (${detail})` : words;
}

function headers() {
  const result = { "Content-Type": "application/json" };
  const key = new URLSearchParams(window.location.search).get("api_key");
  if (key) result.Authorization = `Bearer ${key}`;
  return result;
}

async function translate() {
  const text = $("source").value;
  $("error").hidden = true;
  if (!text.trim()) {
    showError("Paste or drop an article first.");
    return;
  }
  state = { text, blocks: [], segments: [], markdown: "" };
  $("translate").disabled = true;
  $("copy").disabled = true;
  $("download").disabled = true;
  $("summary-box").hidden = true;
  $("status").textContent = "Translating…";
  const body = { text, format: $("format").value, summarize: $("summarize").checked };
  if ($("glossary").value) body.glossary_id = $("glossary").value;
  let response;
  try {
    response = await fetch("/v1/articles/stream", { method: "POST", headers: headers(), body: JSON.stringify(body) });
  } catch (e) {
    showError("The service could not be reached. Check that it is running and your connection.");
    return;
  }
  if (!response.ok) {
    showError(await errorMessage(response));
    return;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) handle(JSON.parse(line));
    }
  }
  $("translate").disabled = false;
}

function handle(event) {
  if (event.type === "blocks") {
    state.blocks = event.blocks;
    renderTable();
  } else if (event.type === "segments") {
    state.segments.push(...event.segments);
    const touched = new Set(event.segments.map((s) => s.block));
    touched.forEach(renderEnglish);
    $("status").textContent = `${state.segments.length} sentences translated…`;
  } else if (event.type === "summary") {
    $("summary").textContent = event.summary;
    $("summary-flags").textContent = event.flags.map((f) => FLAG_REASONS[f] || f).join(" ");
    $("summary-box").hidden = false;
  } else if (event.type === "done") {
    state.markdown = event.article.text;
    state.written = event.article.format;
    $("copy").disabled = false;
    $("download").disabled = false;
    $("status").textContent = `Done: ${state.segments.length} sentences.`;
  } else if (event.type === "error") {
    showError(`The translation stopped: ${event.error.message}`);
  }
}

function renderTable() {
  const body = $("result").querySelector("tbody");
  body.replaceChildren();
  state.blocks.forEach((block, index) => {
    const row = document.createElement("tr");
    row.className = `block ${block.kind}`;
    row.dataset.block = String(index);
    const french = document.createElement("td");
    french.className = "french";
    french.textContent = block.source;
    const english = document.createElement("td");
    english.className = "english";
    english.textContent = block.source; // replaced sentence by sentence as they arrive
    row.append(french, english);
    body.append(row);
  });
  $("output").hidden = false;
}

function renderEnglish(index) {
  const block = state.blocks[index];
  const cell = $("result").querySelector(`tr[data-block="${index}"] td.english`);
  const done = state.segments.filter((s) => s.block === index).sort((a, b) => a.start - b.start);
  const parts = [];
  let position = block.start;
  for (const segment of done) {
    parts.push(document.createTextNode(state.text.slice(position, segment.start)));
    const span = document.createElement("span");
    span.className = "segment";
    span.textContent = segment.translation;
    span.tabIndex = 0;
    if (segment.memory === "approved") {
      span.classList.add("approved");
      span.title = "Approved by an editor.";
    }
    if (segment.flags.length) {
      span.classList.add("flagged");
      span.dataset.flags = segment.flags.join(" ");
      span.title = segment.flags.map((f) => FLAG_REASONS[f] || f).join("\n");
    }
    span.addEventListener("click", () => {
      if (segment.flags.length) showFlag(span);
      edit(span, segment);
    });
    parts.push(span);
    position = segment.end;
  }
  parts.push(document.createTextNode(state.text.slice(position, block.end)));
  cell.replaceChildren(...parts);
}

// Corrections: the sentence's English is edited in place and shown at once; the memory
// gets it in the background, and the sentence goes back as it was if the service refuses.
function edit(span, segment) {
  if (span.isContentEditable) return;
  const before = { text: span.textContent, className: span.className, title: span.title };
  span.contentEditable = "true";
  span.classList.add("editing");
  span.focus();
  const finish = (save) => {
    span.removeEventListener("keydown", keys);
    span.removeEventListener("blur", blurred);
    span.contentEditable = "false";
    span.classList.remove("editing");
    const text = span.textContent.trim();
    if (!save || !text || text === before.text) {
      span.textContent = before.text;
      return;
    }
    span.className = "segment approved";
    span.title = "Approved by an editor.";
    segment.translation = text;
    approve(segment, text).catch((message) => {
      span.textContent = before.text;
      span.className = before.className;
      span.title = before.title;
      segment.translation = before.text;
      showError(message);
    });
  };
  const keys = (event) => {
    if (event.key === "Enter") { event.preventDefault(); finish(true); }
    if (event.key === "Escape") { event.preventDefault(); finish(false); }
  };
  const blurred = () => finish(true);
  span.addEventListener("keydown", keys);
  span.addEventListener("blur", blurred);
}

async function approve(segment, text) {
  const entry = { source: segment.source, translation: text, format: state.written || "text" };
  let response;
  try {
    response = await fetch("/v1/memory", { method: "POST", headers: headers(), body: JSON.stringify({ entries: [entry] }) });
  } catch (e) {
    throw "The correction could not be saved: the service could not be reached.";
  }
  if (!response.ok) throw `The correction could not be saved. ${await errorMessage(response)}`;
  $("status").textContent = "Correction saved.";
}

async function loadGlossaries() {
  let response;
  try {
    response = await fetch("/v1/glossaries", { headers: headers() });
  } catch (e) {
    return; // no glossaries to offer: the page works without
  }
  if (!response.ok) return;
  const { glossaries } = await response.json();
  for (const glossary of glossaries) {
    const option = document.createElement("option");
    option.value = glossary.glossary_id;
    option.textContent = `${glossary.name} (${glossary.entry_count} terms)`;
    $("glossary").append(option);
  }
}

// Suggestions (LibreTranslate's /suggest) wait here for an editor: approved, they join the
// memory in the editor's name; rejected, they are forgotten. Shown as text, never as markup.
async function loadSuggestions() {
  let response;
  try {
    response = await fetch("/v1/memory/suggestions", { headers: headers() });
  } catch (e) {
    return;
  }
  if (!response.ok) return;
  const { suggestions } = await response.json();
  const body = $("suggestions").querySelector("tbody");
  body.replaceChildren(...suggestions.map(suggestionRow));
  $("suggestions").hidden = suggestions.length === 0;
}

function suggestionRow(suggestion) {
  const row = document.createElement("tr");
  row.dataset.id = suggestion.id;
  const cells = [suggestion.source, suggestion.translation, `${suggestion.who}, ${suggestion.when}`];
  for (const [index, text] of cells.entries()) {
    const cell = document.createElement("td");
    cell.className = ["french", "english", "who"][index];
    cell.textContent = text;
    row.append(cell);
  }
  const actions = document.createElement("td");
  actions.className = "decide";
  const approve = document.createElement("button");
  approve.type = "button";
  approve.className = "approve";
  approve.textContent = "Approve";
  approve.addEventListener("click", () => decide(row, suggestion, true));
  const reject = document.createElement("button");
  reject.type = "button";
  reject.className = "reject";
  reject.textContent = "Reject";
  reject.addEventListener("click", () => decide(row, suggestion, false));
  actions.append(approve, reject);
  row.append(actions);
  return row;
}

async function decide(row, suggestion, approve) {
  const url = `/v1/memory/suggestions/${encodeURIComponent(suggestion.id)}`;
  const request = approve ? fetch(`${url}/approve`, { method: "POST", headers: headers() })
    : fetch(url, { method: "DELETE", headers: headers() });
  let response;
  try {
    response = await request;
  } catch (e) {
    showError("The service could not be reached. Check that it is running and your connection.");
    return;
  }
  if (!response.ok && response.status !== 404) {  // 404: another editor decided already
    showError(await errorMessage(response));
    return;
  }
  row.remove();
  $("suggestions").hidden = !$("suggestions").querySelector("tbody tr");
  $("status").textContent = approve ? "Suggestion approved." : "Suggestion rejected.";
}

function showFlag(span) {
  const detail = $("flag-detail");
  detail.textContent = span.title;
  detail.hidden = false;
  window.clearTimeout(showFlag.timer);
  showFlag.timer = window.setTimeout(() => { detail.hidden = true; }, 6000);
}

async function copyMarkdown() {
  try {
    await navigator.clipboard.writeText(state.markdown);
  } catch (e) {
    const area = document.createElement("textarea");
    area.value = state.markdown;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  $("copied").hidden = false;
  window.setTimeout(() => { $("copied").hidden = true; }, 2000);
}

function download() {
  const kinds = { markdown: ["md", "text/markdown"], html: ["html", "text/html"] };
  const [extension, type] = kinds[state.written] || ["txt", "text/plain"];
  const blob = new Blob([state.markdown], { type: `${type};charset=utf-8` });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `article-en.${extension}`;
  link.click();
  URL.revokeObjectURL(link.href);
}

function readDropped(event) {
  event.preventDefault();
  $("source").classList.remove("dragging");
  const file = event.dataTransfer.files[0];
  if (!file) return;
  if (!/\.(md|markdown|txt|html?)$/i.test(file.name)) {
    showError("Only .md, .html and .txt files can be dropped here.");
    return;
  }
  file.text().then((text) => {
    $("source").value = text;
    $("format").value = /\.md|\.markdown$/i.test(file.name) ? "markdown"
      : /\.html?$/i.test(file.name) ? "html" : "auto";
    $("error").hidden = true;
  });
}

$("translate").addEventListener("click", translate);
loadGlossaries();
loadSuggestions();
$("copy").addEventListener("click", copyMarkdown);
$("download").addEventListener("click", download);
$("source").addEventListener("dragover", (e) => { e.preventDefault(); $("source").classList.add("dragging"); });
$("source").addEventListener("dragleave", () => $("source").classList.remove("dragging"));
$("source").addEventListener("drop", readDropped);
