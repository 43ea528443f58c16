// PDF pages drawn with pdf.js, loaded the first time a PDF is opened (its own chunks, so the
// app starts without it). The bytes come from the core as base64; nothing is fetched and no
// file is written. Eval stays off (the app's content security policy forbids it).

export type PdfDocument = {
  pageCount: number;
  /** Draws page `n` (1-based) at `cssWidth` CSS pixels wide (fit to width). */
  renderPage: (n: number, canvas: HTMLCanvasElement, cssWidth: number) => Promise<void>;
  destroy: () => void;
};

type PdfJs = typeof import("pdfjs-dist");

let pending: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  pending ??= Promise.all([
    import("pdfjs-dist"),
    import("pdfjs-dist/build/pdf.worker.min.mjs?url"),
  ]).then(([lib, worker]) => {
    lib.GlobalWorkerOptions.workerSrc = worker.default;
    return lib;
  });
  return pending;
}

/** Base64 from the core as bytes. */
export function base64Bytes(data: string): Uint8Array {
  const raw = atob(data);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Opens a PDF from its bytes; rejects when pdf.js cannot read it. */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const lib = await loadPdfJs();
  const task = lib.getDocument({ data: bytes, isEvalSupported: false, useSystemFonts: true });
  const doc = await task.promise;
  let current: { cancel: () => void } | null = null;
  return {
    pageCount: doc.numPages,
    async renderPage(n, canvas, cssWidth) {
      current?.cancel();
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const scale = Math.max(0.1, cssWidth / base.width);
      const ratio = globalThis.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: scale * ratio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no canvas");
      const render = page.render({ canvasContext: context, viewport });
      current = render;
      try {
        await render.promise;
      } finally {
        if (current === render) current = null;
      }
    },
    destroy() {
      current?.cancel();
      void task.destroy();
    },
  };
}
