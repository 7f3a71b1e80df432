/* Replays a fuzzer's inputs without libFuzzer: every file given, and every
 * file in every directory given (sorted, not recursive), goes through
 * LLVMFuzzerTestOneInput once. A crash or failed check aborts, naming the
 * input; so every input once found stays a test. */
#include "fuzz.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += r;
        if (len == cap) {
            uint8_t *p = realloc(buf, cap * 2);
            if (!p) break;
            buf = p;
            cap *= 2;
        }
    }
    fclose(fp);
    if (!buf) return -1;
    fprintf(stderr, "replay: %s\n", path); /* the last one named is the culprit */
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    size_t files = 0;
    int bad = 0;
    for (int k = 1; k < argc; k++) {
        struct stat st;
        if (stat(argv[k], &st) != 0) {
            fprintf(stderr, "replay: no such input: %s\n", argv[k]);
            bad = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[k])) bad = 1;
            files++;
            continue;
        }
        DIR *d = opendir(argv[k]);
        if (!d) {
            bad = 1;
            continue;
        }
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                char **p = realloc(names, cap * sizeof *p);
                if (!p) break;
                names = p;
            }
            size_t len = strlen(argv[k]) + strlen(e->d_name) + 2;
            names[n] = malloc(len);
            if (!names[n]) break;
            snprintf(names[n], len, "%s/%s", argv[k], e->d_name);
            n++;
        }
        closedir(d);
        if (n) qsort(names, n, sizeof *names, cmp);
        for (size_t i = 0; i < n; i++) {
            struct stat fs;
            if (stat(names[i], &fs) == 0 && S_ISREG(fs.st_mode)) {
                if (run_file(names[i])) bad = 1;
                files++;
            }
            free(names[i]);
        }
        free(names);
    }
    printf("replay: %zu inputs, %s\n", files, bad ? "some could not be read" : "no crash");
    return bad || files == 0;
}
