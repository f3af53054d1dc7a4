// The text editor for plan sections, charters, minutes notes and comments: TinyMCE (GPL, from npm, served from our
// own static files; nothing is loaded from another site) takes over each textarea that core.widgets.RichText marks
// with data-rich-text. Progressive enhancement only: without this file the field is a textarea of plain text
// (paragraphs, "- " bullets, "1." and "a)" lines), which the server makes into the same HTML.
// Whatever the editor sends is cleaned again on the server with the one allow-list (core.text.sanitise).
(() => {
  "use strict";

  // What the editor may hold: the server's allow-list (core.text.ALLOWED_TAGS), so what you see is what is saved.
  const VALID_ELEMENTS =
    "p,br,strong/b,em/i,ul,ol[start|type],li,a[href],h3,h4,blockquote," +
    "table,caption,thead,tbody,tr,th[colspan|rowspan|scope],td[colspan|rowspan]";

  // Texts the Swedish language pack leaves empty (an empty text would leave a button or a dialog without a name).
  const SWEDISH_GAPS = {
    "Alignment {0}": "Justering {0}",
    "Background color menu": "Meny för bakgrundsfärg",
    "Background color {0}": "Bakgrundsfärg {0}",
    Block: "Block",
    "Block {0}": "Block {0}",
    Cell: "Cell",
    "Editor's height: {0} pixels": "Redigerarens höjd: {0} pixlar",
    "Editor's height: {0} pixels, Editor's width: {1} pixels": "Redigerarens höjd: {0} pixlar, bredd: {1} pixlar",
    "Focus to notification": "Gå till meddelandet",
    "Font size {0}": "Teckenstorlek {0}",
    "Font {0}": "Teckensnitt {0}",
    Format: "Format",
    "Format {0}": "Format {0}",
    "Height:": "Höjd:",
    Inline: "I texten",
    Link: "Länk",
    Ok: "OK",
    Plugins: "Tillägg",
    Pre: "Förformaterad",
    "Select the {0} element": "Markera elementet {0}",
    Text: "Text",
    "Text color menu": "Meny för textfärg",
    "Text color {0}": "Textfärg {0}",
    "Use arrow keys to navigate.": "Flytta med piltangenterna.",
    Version: "Version",
    "Width:": "Bredd:",
  };

  const load = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });

  // Word puts a list on the clipboard as paragraphs (style "mso-list:l0 level1") with the bullet or number typed in
  // a span marked "mso-list:Ignore". Made into real, nested lists before the editor filters the paste (the server
  // does the same for HTML that reaches it another way).
  const LIST_PARAGRAPH = /mso-list:\s*l\d+\s+level(\d+)/i;
  const listKind = (marker) => {
    let m = marker.match(/^\(?(\d{1,3})[.):]?$/);
    if (m) return { tag: "ol", type: "1", start: Number(m[1]) };
    m = marker.match(/^\(?([a-zA-Z])[.)]$/);
    if (m) {
      const lower = m[1].toLowerCase();
      return { tag: "ol", type: m[1] === lower ? "a" : "A", start: lower.charCodeAt(0) - 96 };
    }
    return { tag: "ul", type: "", start: 1 };
  };
  const isListParagraph = (node) =>
    node && node.nodeType === 1 && node.tagName === "P" && LIST_PARAGRAPH.test(node.getAttribute("style") || "");
  const isFiller = (node) => node && (node.nodeType === 8 || (node.nodeType === 3 && !node.textContent.trim()));

  // Headings are h3 and h4 in our texts (they stand under the page's h1 and a h2): Word's Heading 1 and 2 become
  // h3, 5 and 6 become h4, as on the server (core.text.sanitise).
  const HEADINGS = { 1: "3", 2: "3", 5: "4", 6: "4" };
  const headings = (html) => html.replace(/<(\/?)h([1256])(?=[\s>])/gi, (m, slash, n) => `<${slash}h${HEADINGS[n]}`);

  const wordLists = (html) => {
    if (!/mso-list/i.test(html)) return html;
    const doc = new DOMParser().parseFromString(html, "text/html");
    for (const first of [...doc.body.querySelectorAll("p")]) {
      if (!first.isConnected || !isListParagraph(first)) continue;
      const run = [];
      for (let node = first; node && (isListParagraph(node) || isFiller(node)); node = node.nextSibling) {
        if (isListParagraph(node)) run.push(node);
      }
      const lists = doc.createDocumentFragment();
      const open = []; // {level, kind, list, item}
      for (const paragraph of run) {
        const level = Number(paragraph.getAttribute("style").match(LIST_PARAGRAPH)[1]);
        const span = paragraph.querySelector('span[style*="mso-list:ignore" i]');
        const marker = span ? span.textContent.replace(/[\s\u00a0]+/g, "") : "";
        if (span) span.remove();
        const kind = listKind(marker);
        while (open.length && open[open.length - 1].level > level) open.pop();
        let top = open[open.length - 1];
        if (top && top.level === level && (top.kind.tag !== kind.tag || top.kind.type !== kind.type)) {
          open.pop();
          top = open[open.length - 1];
        }
        if (!top || top.level < level) {
          const list = doc.createElement(kind.tag);
          if (kind.tag === "ol" && kind.type !== "1") list.setAttribute("type", kind.type);
          if (kind.tag === "ol" && kind.start !== 1) list.setAttribute("start", String(kind.start));
          (top && top.item ? top.item : lists).appendChild(list);
          top = { level, kind, list, item: null };
          open.push(top);
        }
        const item = doc.createElement("li");
        for (const node of [...paragraph.childNodes]) {
          if (node.nodeType !== 8) item.appendChild(node); // Word's conditional comments go
        }
        top.list.appendChild(item);
        top.item = item;
      }
      first.before(lists);
      run.forEach((paragraph) => paragraph.remove());
    }
    return doc.body.innerHTML;
  };

  const start = (area) => {
    // The textarea holds plain text when that loses nothing; the editor starts from the HTML.
    if (area.dataset.html !== undefined) area.defaultValue = area.dataset.html;
    const label = document.querySelector(`label[for="${area.id}"]`);
    const name = label ? label.textContent.trim().replace(/:$/, "") : "Text";
    window.tinymce.init({
      target: area,
      license_key: "gpl",
      base_url: area.dataset.editorBase,
      suffix: ".min",
      language: "sv-SE",
      language_url: area.dataset.editorLanguage,
      content_css: area.dataset.editorCss,
      menubar: false,
      promotion: false,
      branding: false,
      elementpath: false,
      statusbar: false, // the editor grows with its text (autoresize) instead of a drag handle
      plugins: "lists link autolink table autoresize",
      toolbar: "undo redo | blocks | bold italic | bullist numlist | link table",
      toolbar_mode: "wrap",
      block_formats: "Stycke=p; Rubrik=h3; Underrubrik=h4",
      min_height: Math.max(240, (area.rows || 10) * 24 + 100),
      max_height: 900,
      autoresize_bottom_margin: 24,
      // The frame the text is written in is named after the field from the start (WCAG 4.1.2).
      iframe_attrs: { title: `${name} (textredigerare)` },
      valid_elements: VALID_ELEMENTS,
      valid_styles: {},
      entity_encoding: "raw",
      paste_data_images: false,
      paste_preprocess: (editor, args) => {
        args.content = wordLists(headings(args.content));
      },
      relative_urls: false,
      convert_urls: false,
      remove_script_host: false,
      link_default_protocol: "https",
      link_assume_external_targets: "https",
      link_target_list: false,
      link_title: false,
      table_appearance_options: false,
      table_advtab: false,
      table_cell_advtab: false,
      table_row_advtab: false,
      table_default_attributes: {},
      table_default_styles: {},
      table_resize_bars: false,
      object_resizing: false,
      iframe_aria_text: `${name}. Textredigerare: Alt+F10 går till verktygsraden, Alt+0 visar hjälpen.`,
      setup: (editor) => {
        // Keep the textarea up to date, and tell listeners (the warning about unsaved text) that it changed.
        const sync = () => {
          editor.save();
          area.dispatchEvent(new Event("input", { bubbles: true }));
        };
        editor.on("input change undo redo", sync);
        // The frame's document is Swedish and has a title (WCAG 3.1.1, 2.4.2), and where the text is written is a
        // named multi-line text box (TinyMCE's name on a body without a role is not allowed by ARIA).
        editor.on("init", () => {
          editor.getDoc().documentElement.setAttribute("lang", "sv");
          editor.getDoc().title = name;
          editor.getBody().setAttribute("role", "textbox");
          editor.getBody().setAttribute("aria-multiline", "true");
        });
        if (label) label.addEventListener("click", () => editor.focus());
      },
    });
  };

  document.addEventListener("DOMContentLoaded", async () => {
    const areas = [...document.querySelectorAll("textarea[data-rich-text]")];
    if (!areas.length) return;
    try {
      if (!window.tinymce) await load(`${areas[0].dataset.editorBase}/tinymce.min.js`);
      await load(areas[0].dataset.editorLanguage); // before init, so its empty texts can be filled in
    } catch {
      return; // the textareas stay as they are
    }
    window.tinymce.addI18n("sv-SE", SWEDISH_GAPS);
    // A field in a closed <details> (a comment form under each section) gets its editor when it is opened: a page
    // of many sections starts only the editors someone uses.
    for (const area of areas) {
      const closed = area.closest("details:not([open])");
      if (!closed) {
        start(area);
        continue;
      }
      const open = () => {
        if (!closed.open) return;
        closed.removeEventListener("toggle", open);
        start(area);
      };
      closed.addEventListener("toggle", open);
    }
  });

  window.shvoEditor = { wordLists }; // for the browser tests
})();
