// What editors change: a sentence's English corrected in place (saved to the memory as an
// approved translation), and the suggestions waiting for review, approved or rejected.

import { UNREACHABLE, errorMessage, getJson, headers, postJson } from "./api.js";
import { APPROVED, showEnglish, state } from "./view.js";

const $ = (id) => document.getElementById(id);
// How the memory reads a sentence: a news item's pieces are text or HTML, read as HTML.
const WRITTEN = new Set(["text", "markdown", "html"]);

/**
 * Correct sentence `number`: its English, as written in the article's format, is edited in
 * place and shown at once; the memory gets it in the background, and the sentence goes back as
 * it was if the service refuses. `saving` runs when the correction is sent, then `saved` once
 * the memory has it, or `failed` with what went wrong in words.
 */
export function edit(number, { saving, saved, failed }) {
  if (state.editing !== null || !state.rendered) return;
  const segment = state.segments[number];
  const cell = $("result").querySelector(`tr[data-block="${segment.block}"] td.english`);
  const chunks = cell ? cell.querySelectorAll(`.segment[data-segment="${number}"]`) : [];
  if (!chunks.length) return;
  state.editing = number;
  const range = document.createRange();
  range.setStartBefore(chunks[0]);
  range.setEndAfter(chunks[chunks.length - 1]);
  range.deleteContents();
  const span = document.createElement("span");
  span.className = "segment editing";
  span.dataset.segment = String(number);
  span.textContent = segment.translation;
  span.contentEditable = "true";
  span.setAttribute("role", "textbox");
  span.setAttribute("aria-label", `The English of sentence ${number + 1}`);
  range.insertNode(span);
  span.focus();
  const before = { translation: segment.translation, memory: segment.memory };

  const finish = (save) => {
    span.removeEventListener("keydown", keys);
    span.removeEventListener("blur", blurred);
    span.contentEditable = "false";
    state.editing = null;
    const text = span.textContent.trim();
    if (!save || !text || text === before.translation) {
      showEnglish(segment.block);
      return;
    }
    span.className = "segment approved first last";
    span.title = APPROVED;
    segment.translation = text;
    segment.memory = "approved";
    saving();
    approve(segment, text).then(saved, (error) => {
      Object.assign(segment, before);
      showEnglish(segment.block);
      failed(error.message);
    });
  };
  const keys = (event) => {
    event.stopPropagation(); // keys typed here are the editor's, not the page's
    if (event.key === "Enter") { event.preventDefault(); finish(true); }
    if (event.key === "Escape") { event.preventDefault(); finish(false); }
  };
  const blurred = () => finish(true);
  span.addEventListener("keydown", keys);
  span.addEventListener("blur", blurred);
}

async function approve(segment, text) {
  const format = WRITTEN.has(state.article.format) ? state.article.format : "html";
  const entry = { source: segment.source, translation: text, format };
  try {
    await postJson("/v1/memory", { entries: [entry] });
  } catch (error) {
    throw new Error(`The correction could not be saved. ${error.message}`);
  }
}

// -- suggestions (LibreTranslate's /suggest): approved, they join the memory in the editor's
// name; rejected, they are forgotten. Shown as text, never as markup. --------------------------

export async function loadSuggestions(failed) {
  const found = await getJson("/v1/memory/suggestions");
  if (!found) return;
  const body = $("suggestions").querySelector("tbody");
  body.replaceChildren(...found.suggestions.map((s) => suggestionRow(s, failed)));
  $("suggestions").hidden = found.suggestions.length === 0;
}

function suggestionRow(suggestion, failed) {
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
  for (const [name, approved] of [["Approve", true], ["Reject", false]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = approved ? "approve" : "reject";
    button.textContent = name;
    button.addEventListener("click", () => decide(row, suggestion, approved, failed));
    actions.append(button);
  }
  row.append(actions);
  return row;
}

async function decide(row, suggestion, approved, failed) {
  const url = `/v1/memory/suggestions/${encodeURIComponent(suggestion.id)}`;
  let response;
  try {
    response = approved ? await fetch(`${url}/approve`, { method: "POST", headers: headers() })
      : await fetch(url, { method: "DELETE", headers: headers() });
  } catch (e) {
    failed(UNREACHABLE);
    return;
  }
  if (!response.ok && response.status !== 404) { // 404: another editor decided already
    failed(await errorMessage(response));
    return;
  }
  row.remove();
  $("suggestions").hidden = !$("suggestions").querySelector("tbody tr");
  $("status").textContent = approved ? "Suggestion approved." : "Suggestion rejected.";
}
