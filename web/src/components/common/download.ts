// Saves text the browser already holds (an export fetched over GraphQL) as a file: a plain link could not carry
// the session token, so the page fetches the content and hands it to the browser as a download.

export interface DownloadEnv {
  createObjectURL: (blob: Blob) => string;
  revokeObjectURL: (url: string) => void;
  /** Creates the invisible link that is clicked. */
  createLink: () => { href: string; download: string; click: () => void; remove?: () => void };
  /** Puts the link in the page (Firefox only follows links that are in the document). */
  attach: (link: ReturnType<DownloadEnv['createLink']>) => void;
}

const browserEnv = (): DownloadEnv => ({
  createObjectURL: (blob) => URL.createObjectURL(blob),
  revokeObjectURL: (url) => URL.revokeObjectURL(url),
  createLink: () => {
    const a = document.createElement('a');
    a.style.display = 'none';
    return a;
  },
  attach: (link) => document.body.append(link as HTMLAnchorElement),
});

/** A file name safe on every OS: no path separators or reserved characters, never empty. */
export function safeFilename(name: string, fallback = 'download.csv'): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').replace(/^[.\s-]+|[\s.]+$/g, '');
  return cleaned === '' ? fallback : cleaned;
}

/** Starts the download of `text` as `filename`; the object URL is released once the click has been handled. */
export function saveTextFile(
  filename: string,
  text: string,
  type = 'text/csv;charset=utf-8',
  env: DownloadEnv = browserEnv(),
): void {
  const url = env.createObjectURL(new Blob([text], { type }));
  const link = env.createLink();
  link.href = url;
  link.download = safeFilename(filename);
  env.attach(link);
  link.click();
  link.remove?.();
  // Revoking at once can cancel the download in some browsers; a tick later the browser holds its own copy.
  setTimeout(() => env.revokeObjectURL(url), 0);
}
