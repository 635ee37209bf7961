// The article side by side: French and English rows, block by block, as the service renders
// them (/v1/render: sanitized HTML, each sentence's text in <span class="segment"
// data-segment="N">); sentences linked across the two sides by their index; flags with their
// reasons; the summary sentence by sentence, with its sources.

// Each flag in one line: its name for an editor, and what it means (the legend). The reason of
// one flag on one sentence comes from the service (`reasons`).
export const FLAGS = {
  repetition: ["Repetition", "the English repeats a word or phrase in a loop, or ran to the length limit"],
  length_ratio: ["Length", "the English is much shorter or longer than the French"],
  untranslated: ["Untranslated", "the English is the French word for word, or the French was kept as written"],
  missing_digits: ["Missing number", "a number of the French is not in the English"],
  names: ["Missing name", "a name of the French is not in the English"],
  low_confidence: ["Low confidence", "the model itself was unsure of this English"],
  kept_english: ["Kept English", "the sentence was English already and was left as written"],
  glossary: ["Glossary", "a glossary term's English could not be placed"],
  unsupported: ["Unsupported", "no sentence of the article says what this summary sentence says"],
  unsupported_number: ["Unsupported number", "a number of the summary is nowhere in the article"],
  unsupported_name: ["Unsupported name", "a name of the summary is nowhere in the article"],
  longer_than_source: ["Longer than the article", "the summary is longer than the text it sums up"],
  truncated: ["Cut short", "the summary's only sentence was cut by the length limit"],
};
export const APPROVED = "Approved by an editor.";

export const state = {
  run: 0, // the current translation: answers to an earlier one are dropped
  chars: [], // the French, by code point (the service's offsets count code points)
  request: null,
  article: null,
  blocks: [],
  segments: [],
  rendered: null,
  selected: null,
  editing: null,
};

const $ = (id) => document.getElementById(id);
const rows = () => $("result").querySelector("tbody");

function element(tag, className, text) {
  const found = document.createElement(tag);
  if (className) found.className = className;
  if (text !== undefined) found.textContent = text;
  return found;
}

function label(flag) {
  return FLAGS[flag] ? FLAGS[flag][0] : flag.replace(/_/g, " ");
}

function means(flag) {
  return FLAGS[flag] ? FLAGS[flag][1] : "";
}

/** Each flag of `item` (a segment or a summary sentence): [name, reason in words]. */
export function reasons(item) {
  return item.flags.map((flag) => [label(flag), (item.reasons || {})[flag] || means(flag)]);
}

export function showLegend() {
  const list = $("legend").querySelector("dl");
  const entries = Object.entries(FLAGS).map(([flag, [name, means]]) => [flag, name, means]);
  entries.push(["approved", "✓ Approved", "the English is an editor's, from the memory"]);
  for (const [flag, name, means] of entries) {
    const term = element("dt", `flag-${flag}`, name);
    term.dataset.flag = flag;
    list.append(term, element("dd", "", means));
  }
}

// -- while the sentences arrive: the French as written, the English sentence by sentence ----

export function showBlocks(blocks) {
  state.blocks = blocks;
  rows().replaceChildren(
    ...blocks.map((block, index) => {
      const row = element("tr", `block ${block.kind}`);
      row.dataset.block = String(index);
      row.append(
        element("td", "french", block.source),
        element("td", "english pending", block.source), // replaced as sentences arrive
      );
      return row;
    }),
  );
  $("output").hidden = false;
}

export function showProgress(segments) {
  const touched = new Set(segments.map((s) => s.block));
  for (const index of touched) {
    const block = state.blocks[index];
    const cell = rows().querySelector(`tr[data-block="${index}"] td.english`);
    const done = state.segments.filter((s) => s.block === index).sort((a, b) => a.start - b.start);
    const parts = [];
    let position = block.start;
    for (const segment of done) {
      parts.push(state.chars.slice(position, segment.start).join(""), segment.translation);
      position = segment.end;
    }
    parts.push(state.chars.slice(position, block.end).join(""));
    cell.textContent = parts.join("");
  }
}

// -- rendered: both sides as a reader sees them ---------------------------------------------

function fragment(html) {
  // Sanitized by the service; a template's content is inert until placed.
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

export function showRendered(rendered, except = null) {
  state.rendered = rendered;
  rendered.forEach((block, index) => {
    const row = rows().querySelector(`tr[data-block="${index}"]`);
    if (!row) return;
    row.classList.add("rendered");
    const french = row.querySelector("td.french");
    french.replaceChildren(fragment(block.french));
    decorate(french, false);
    if (index !== except) showEnglish(index);
  });
}

/** The English of block `index` as rendered, its sentences marked, its flags listed. */
export function showEnglish(index) {
  const cell = rows().querySelector(`tr[data-block="${index}"] td.english`);
  cell.classList.remove("pending");
  cell.replaceChildren(fragment(state.rendered[index].english));
  decorate(cell, true);
  const listed = [];
  const numbers = [...new Set([...cell.querySelectorAll(".segment.first")].map((c) => Number(c.dataset.segment)))];
  for (const number of numbers) {
    for (const [name, reason] of reasons(state.segments[number])) {
      const item = element("li", "reason");
      item.dataset.for = String(number);
      // Which sentence, where the block has several.
      if (numbers.length > 1) item.append(element("span", "which", `Sentence ${number + 1} · `));
      item.append(element("strong", "", `${name}:`), ` ${reason}`);
      listed.push(item);
    }
  }
  if (listed.length) {
    const list = element("ul", "reasons");
    list.append(...listed);
    cell.append(list);
  }
}

function describe(segment) {
  const lines = segment.memory === "approved" ? [APPROVED] : [];
  for (const [name, reason] of reasons(segment)) lines.push(`${name}: ${reason}`);
  return lines.join("\n");
}

function decorate(cell, english) {
  const chunks = [...cell.querySelectorAll(".segment[data-segment]")];
  const last = new Map();
  for (const chunk of chunks) {
    const number = Number(chunk.dataset.segment);
    const segment = state.segments[number];
    if (!segment) continue;
    if (!last.has(number)) {
      chunk.classList.add("first");
      chunk.tabIndex = 0;
    }
    last.set(number, chunk);
    if (!english) continue;
    if (segment.flags.length) {
      chunk.classList.add("flagged");
      chunk.dataset.flags = segment.flags.join(" ");
    }
    if (segment.memory === "approved") chunk.classList.add("approved");
    const title = describe(segment);
    if (title) chunk.title = title;
  }
  for (const chunk of last.values()) chunk.classList.add("last");
  if (state.selected !== null) mark("selected", [state.selected]);
}

// -- sentences linked across the two sides ---------------------------------------------------

function mark(name, numbers) {
  for (const found of document.querySelectorAll(`.${name}`)) {
    if (found.matches(".segment, .summary-sentence")) found.classList.remove(name);
  }
  for (const number of numbers) {
    for (const chunk of $("result").querySelectorAll(`.segment[data-segment="${number}"]`)) {
      chunk.classList.add(name);
    }
  }
}

/** What a pointer or the focus is on: a sentence (by index), a summary sentence, or none. */
function target(node) {
  const found = node instanceof Element ? node.closest("[data-segment], [data-for], .summary-sentence") : null;
  if (!found) return null;
  if (found.classList.contains("summary-sentence")) return { summary: Number(found.dataset.sentence) };
  return { segment: Number(found.dataset.segment ?? found.dataset.for) };
}

function link(node) {
  const found = target(node);
  if (!found) return mark("linked", []);
  if (found.summary !== undefined) return mark("linked", summarySources(found.summary));
  return mark("linked", [found.segment]);
}

export function selectSentence(number) {
  state.selected = number;
  mark("source", []);
  mark("selected", [number]);
  const segment = state.segments[number];
  const detail = $("detail");
  const heading = element("p", "where");
  heading.append(element("strong", "", `Sentence ${number + 1}`), ` of ${state.segments.length}`);
  const french = element("p", "french", segment.source);
  french.lang = "fr";
  const found = reasons(segment);
  const list = element("ul", "reasons");
  if (segment.memory === "approved") list.append(element("li", "approved", APPROVED));
  for (const [name, reason] of found) {
    const item = element("li", "reason");
    item.append(element("strong", "", `${name}:`), ` ${reason}`);
    list.append(item);
  }
  if (!list.children.length) list.append(element("li", "note", "No flag."));
  const correct = element("button", "quiet", "Correct the English");
  correct.type = "button";
  correct.id = "correct";
  correct.addEventListener("click", () => document.dispatchEvent(new CustomEvent("correct", { detail: number })));
  detail.replaceChildren(heading, french, list, correct);
  detail.hidden = false;
}

// -- the summary ------------------------------------------------------------------------------

function summarySources(index) {
  const sentence = (state.summary || [])[index];
  return sentence ? sentence.segments : [];
}

export function showSummary(event) {
  state.summary = event.sentences && event.sentences.length ? event.sentences
    : [{ text: event.summary, segments: [], flags: [], reasons: {} }];
  $("summary").replaceChildren(
    ...state.summary.map((sentence, index) => {
      const item = element("li", "summary-sentence");
      item.dataset.sentence = String(index);
      item.tabIndex = 0;
      item.append(element("span", "text", sentence.text));
      if (sentence.flags.length) {
        item.classList.add("flagged");
        for (const flag of sentence.flags) item.classList.add(flag);
        for (const [name, reason] of reasons(sentence)) {
          const why = element("span", "reason");
          why.append(element("strong", "", `${name}:`), ` ${reason}`);
          item.append(why);
        }
      }
      return item;
    }),
  );
  $("summary-flags").replaceChildren(
    ...event.flags.map((flag) => {
      const item = element("li", "reason");
      item.dataset.flag = flag;
      item.append(element("strong", "", `${label(flag)}:`), ` ${means(flag)}`);
      return item;
    }),
  );
  $("summary-box").hidden = false;
}

export function selectSummary(index) {
  state.selected = null;
  const sources = summarySources(index);
  mark("selected", []);
  mark("source", sources);
  const item = $("summary").querySelector(`[data-sentence="${index}"]`);
  item.classList.add("selected");
  const detail = $("detail");
  const heading = element("p", "where");
  heading.append(element("strong", "", `Summary sentence ${index + 1}`));
  const words = sources.length
    ? `draws on sentence${sources.length > 1 ? "s" : ""} ${sources.map((n) => n + 1).join(", ")} of the article, highlighted.`
    : "draws on no sentence of the article.";
  heading.append(` ${words}`);
  detail.replaceChildren(heading);
  detail.hidden = false;
  const first = $("result").querySelector(".segment.source");
  if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
}

// -- events: pointer and keyboard -------------------------------------------------------------

function pick(node) {
  const found = target(node);
  if (!found) return false;
  if (found.summary !== undefined) selectSummary(found.summary);
  else selectSentence(found.segment);
  return true;
}

export function listen(onEdit) {
  for (const area of [$("result"), $("summary")]) {
    area.addEventListener("mouseover", (event) => link(event.target));
    area.addEventListener("mouseleave", () => link(null));
    area.addEventListener("focusin", (event) => link(event.target));
    area.addEventListener("focusout", () => link(null));
    area.addEventListener("click", (event) => {
      if (state.editing !== null && event.target.closest(".editing")) return;
      if (!pick(event.target)) return;
      const chunk = event.target.closest("td.english .segment[data-segment]");
      // A link in the English opens (in a new tab); anywhere else, the sentence is edited.
      if (chunk && !event.target.closest("a")) onEdit(Number(chunk.dataset.segment));
    });
    area.addEventListener("keydown", (event) => {
      if ((event.key !== "Enter" && event.key !== " ") || event.target.closest(".editing")) return;
      const found = target(event.target);
      if (!found || event.target.closest("a, button")) return;
      event.preventDefault();
      const english = event.target.closest("td.english .segment[data-segment]");
      if (english && event.key === "Enter" && state.selected === found.segment) onEdit(found.segment);
      else pick(event.target);
    });
  }
  document.addEventListener("correct", (event) => onEdit(event.detail));
}
