/* A test-only stand-in for Microsoft Edge, for dist/windows-test.sh, which
 * puts it where Edge's installer puts msedge.exe in the Wine prefix, to
 * check that `bilan.exe report --pdf` finds Edge there and hands it a file
 * URL and a PDF path that Windows can open. It writes its arguments, one a
 * line, to browser-args.txt beside itself, fails unless the last argument
 * is a file:/// URL naming an existing file, and writes a one-page PDF
 * (without the report's sections: bilan then warns that the Sommaire has
 * no page numbers) where --print-to-pdf= says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int main(int argc, char **argv)
{
    char log_path[4096];
    const char *pdf = NULL;
    const char *url = argv[argc - 1];
    char path[4096];
    size_t n = 0;
    char *slash;
    FILE *log, *html, *out;
    int i;

    snprintf(log_path, sizeof log_path, "%s", argv[0]);
    slash = strrchr(log_path, '\\');
    if (slash == NULL) slash = strrchr(log_path, '/');
    snprintf(slash ? slash + 1 : log_path,
             sizeof log_path - (size_t)(slash ? slash + 1 - log_path : 0),
             "browser-args.txt");
    log = fopen(log_path, "wb");
    if (log == NULL) return 3;
    for (i = 1; i < argc; i++) {
        fprintf(log, "%s\n", argv[i]);
        if (strncmp(argv[i], "--print-to-pdf=", 15) == 0) pdf = argv[i] + 15;
    }
    fclose(log);

    if (strncmp(url, "file:///", 8) != 0 || pdf == NULL) {
        fprintf(stderr, "fake browser: no file:/// URL or no --print-to-pdf=\n");
        return 1;
    }
    for (url += 8; *url != '\0' && n + 1 < sizeof path; url++) {
        if (*url == '%' && hex(url[1]) >= 0 && hex(url[2]) >= 0) {
            path[n++] = (char)(hex(url[1]) * 16 + hex(url[2]));
            url += 2;
        } else {
            path[n++] = *url;
        }
    }
    path[n] = '\0';
    html = fopen(path, "rb");
    if (html == NULL) {
        fprintf(stderr, "fake browser: cannot open %s\n", path);
        return 1;
    }
    fclose(html);

    out = fopen(pdf, "wb");
    if (out == NULL) {
        fprintf(stderr, "fake browser: cannot write %s\n", pdf);
        return 1;
    }
    fputs("%PDF-1.4\n"
          "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
          "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
          "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
          "trailer << /Root 1 0 R >>\n"
          "%%EOF\n",
          out);
    fclose(out);
    return 0;
}
