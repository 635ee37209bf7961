// The editor's page: sends the article to /v1/articles/stream and shows each block's English
// beside its French as the sentences arrive, then both as a reader sees them (/v1/render);
// a .docx file goes through /v2/document whole. No framework, no build step.

import { UNREACHABLE, errorMessage, getJson, headers, postJson } from "./api.js";
import { edit, loadSuggestions } from "./edit.js";
import {
  listen, selectSentence, showBlocks, showLegend, showProgress, showRendered, showSummary, state,
} from "./view.js";

const $ = (id) => document.getElementById(id);
// How the English is saved, by the article's format: extension and media type.
const SAVED_AS = {
  markdown: ["md", "text/markdown"],
  html: ["html", "text/html"],
  text: ["txt", "text/plain"],
  ninjs: ["json", "application/json"],
  newsml: ["xml", "application/xml"],
  rss: ["xml", "application/rss+xml"],
  atom: ["xml", "application/atom+xml"],
};
const TEXT_FILES = /\.(md|markdown|txt|html?|json|xml|rss|atom)$/i;
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
let opened = { name: "article", document: null, translated: null };

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
  $("status").textContent = "";
  $("translate").disabled = false;
}

function reset() {
  $("error").hidden = true;
  $("translate").disabled = true;
  ready(false);
  $("summary-box").hidden = true;
  $("detail").hidden = true;
  opened.translated = null;
  Object.assign(state, { article: null, rendered: null, selected: null, editing: null, segments: [], summary: null });
  return ++state.run;
}

async function translate() {
  if (opened.document) return translateDocument();
  const text = $("source").value;
  if (!text.trim()) {
    showError("Paste or drop an article first.");
    return;
  }
  const run = reset();
  state.chars = Array.from(text);
  $("status").textContent = "Translating…";
  const body = { text, format: $("format").value, summarize: $("summarize").checked };
  if ($("glossary").value) body.glossary_id = $("glossary").value;
  state.request = body;
  let response;
  try {
    response = await fetch("/v1/articles/stream", { method: "POST", headers: headers(), body: JSON.stringify(body) });
  } catch (e) {
    showError(UNREACHABLE);
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
      if (line.trim() && run === state.run) await handle(JSON.parse(line), run);
    }
  }
  $("translate").disabled = false;
}

async function handle(event, run) {
  if (event.type === "blocks") {
    showBlocks(event.blocks);
    $("result").hidden = false;
  } else if (event.type === "segments") {
    state.segments.push(...event.segments);
    showProgress(event.segments);
    $("status").textContent = `${state.segments.length} sentences translated…`;
  } else if (event.type === "summary") {
    showSummary(event);
  } else if (event.type === "done") {
    state.article = event.article;
    state.segments = event.article.segments;
    $("status").textContent = "Laying out…";
    await render(run);
    if (run !== state.run) return;
    ready(true);
    $("download").textContent = `Download .${SAVED_AS[state.article.format][0]}`;
    $("status").textContent = `Done: ${state.segments.length} sentences.`;
  } else if (event.type === "error") {
    showError(`The translation stopped: ${event.error.message}`);
  }
}

/** Both sides as a reader sees them (the service renders and sanitizes them). */
async function render(run) {
  let rendered;
  try {
    rendered = await postJson("/v1/render", { text: state.chars.join(""), article: state.article });
  } catch (error) {
    if (run === state.run) showError(`The article could not be laid out. ${error.message}`);
    return;
  }
  if (run === state.run) showRendered(rendered.blocks, state.editing === null ? null : state.segments[state.editing].block);
}

function ready(done) {
  $("copy").disabled = !done;
  $("download").disabled = !done;
}

/** After a correction: the article as the service now translates it (the approved English
 * in place, its flags checked again), for the copy and the download. */
async function refresh() {
  const run = state.run;
  $("status").textContent = "Correction saved.";
  try {
    const article = await postJson("/v1/articles", { ...state.request, summarize: false });
    if (run !== state.run) return;
    state.article = article;
    state.segments = article.segments;
    await render(run);
    if (state.selected !== null && state.editing === null) selectSentence(state.selected);
  } catch (error) {
    // The correction is saved; the English to copy stays as it was.
  }
  if (run === state.run) ready(true);
}

const corrections = {
  saving: () => ready(false),
  saved: refresh,
  failed: (message) => {
    ready(true);
    showError(message);
  },
};

// -- a Word document: translated whole, formatting kept, offered for download ---------------

async function translateDocument() {
  const run = reset();
  $("output").hidden = false;
  $("result").hidden = true;
  $("status").textContent = `Translating ${opened.document.name}…`;
  const form = new FormData();
  form.append("file", opened.document, opened.document.name);
  form.append("source_lang", "FR");
  form.append("target_lang", "EN");
  if ($("glossary").value) form.append("glossary_id", $("glossary").value);
  try {
    const upload = await fetch("/v2/document", { method: "POST", headers: headers(false), body: form });
    if (!upload.ok) throw new Error(await errorMessage(upload));
    const { document_id: id, document_key: key } = await upload.json();
    const result = await fetch(`/v2/document/${encodeURIComponent(id)}/result`, {
      method: "POST", headers: headers(), body: JSON.stringify({ document_key: key }),
    });
    if (!result.ok) throw new Error(await errorMessage(result));
    const data = await result.blob();
    if (run !== state.run) return;
    opened.translated = new Blob([data], { type: DOCX });
  } catch (error) {
    showError(error instanceof TypeError ? UNREACHABLE : error.message);
    return;
  }
  $("download").textContent = "Download .docx";
  $("download").disabled = false;
  $("translate").disabled = false;
  $("status").textContent = `Done: ${opened.document.name} translated.`;
}

// -- the English out: copied, or downloaded in the input's format ----------------------------

async function copyEnglish() {
  const text = state.article.text;
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  $("copied").hidden = false;
  window.setTimeout(() => { $("copied").hidden = true; }, 2000);
}

function download() {
  let blob;
  let extension;
  if (opened.translated) {
    [blob, extension] = [opened.translated, "docx"];
  } else {
    const [saved, type] = SAVED_AS[state.article.format];
    [blob, extension] = [new Blob([state.article.text], { type: `${type};charset=utf-8` }), saved];
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `${opened.name}-en.${extension}`;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

// -- files: opened or dropped ----------------------------------------------------------------

function openFile(file) {
  if (!file) return;
  $("error").hidden = true;
  const stem = file.name.replace(/\.[^.]*$/, "") || "article";
  if (/\.docx$/i.test(file.name)) {
    opened = { name: stem, document: file, translated: null };
    $("document-name").textContent = file.name;
    $("document").hidden = false;
    $("source").hidden = true;
    $("format").disabled = true;
    return;
  }
  if (!TEXT_FILES.test(file.name)) {
    showError("Open a .md, .html, .txt, .docx file, or a news item (.json, .xml).");
    return;
  }
  forgetDocument();
  opened.name = stem;
  file.text().then((text) => {
    $("source").value = text;
    $("format").value = /\.(md|markdown)$/i.test(file.name) ? "markdown"
      : /\.html?$/i.test(file.name) ? "html" : "auto";
  });
}

function forgetDocument() {
  opened = { name: "article", document: null, translated: null };
  $("document").hidden = true;
  $("source").hidden = false;
  $("format").disabled = false;
  $("file").value = "";
}

async function loadGlossaries() {
  const found = await getJson("/v1/glossaries");
  for (const glossary of found ? found.glossaries : []) {
    const option = document.createElement("option");
    option.value = glossary.glossary_id;
    option.textContent = `${glossary.name} (${glossary.entry_count} terms)`;
    $("glossary").append(option);
  }
}

showLegend();
listen((number) => edit(number, corrections));
loadGlossaries();
loadSuggestions(showError);
$("translate").addEventListener("click", translate);
$("copy").addEventListener("click", copyEnglish);
$("download").addEventListener("click", download);
$("file").addEventListener("change", (event) => openFile(event.target.files[0]));
$("forget").addEventListener("click", forgetDocument);
$("source").addEventListener("dragover", (e) => { e.preventDefault(); $("source").classList.add("dragging"); });
$("source").addEventListener("dragleave", () => $("source").classList.remove("dragging"));
$("source").addEventListener("drop", (event) => {
  event.preventDefault();
  $("source").classList.remove("dragging");
  openFile(event.dataTransfer.files[0]);
});
