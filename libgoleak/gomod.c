/* The Go version of a module: the `go` line of the nearest go.mod. */
#include "error.h"
#include "goleak.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads the go directive of a go.mod file into buf. 0, GOLEAK_ERANGE, or
 * GOLEAK_EIO. A go.mod without one means Go 1.16, as the go command says. */
static int read_go_line(const char *gomod, char *buf, size_t size, goleak_error *err) {
    FILE *fp = fopen(gomod, "r");
    if (!fp) return error_set(err, GOLEAK_EIO, gomod, 0, 0, 0, "%s: %s", gomod, strerror(errno));
    char line[512];
    const char *found = NULL;
    size_t n = 0;
    while (fgets(line, sizeof line, fp)) {
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (strncmp(p, "go", 2) != 0 || (p[2] != ' ' && p[2] != '\t')) continue;
        p += 2;
        while (*p == ' ' || *p == '\t') p++;
        n = strcspn(p, " \t\r\n/");
        if (n == 0) continue;
        p[n] = 0;
        found = p;
        break;
    }
    fclose(fp);
    if (!found) {
        found = "1.16";
        n = 4;
    }
    if (n + 1 > size) return error_set(err, GOLEAK_ERANGE, gomod, 0, 0, 0, "buffer too small");
    memcpy(buf, found, n + 1);
    return 0;
}

GOLEAK_API goleak_status goleak_go_version_for_path(char *buf, size_t size, const char *path,
                                                    goleak_error *err) {
    if (!buf || size == 0 || !path || !*path)
        return error_set(err, GOLEAK_EINVAL, path, 0, 0, 0,
                         "goleak_go_version_for_path: bad argument");
    char dir[4096];
    struct stat st;
    size_t len = strlen(path);
    if (path[0] != '/') {
        if (!getcwd(dir, sizeof dir))
            return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "getcwd: %s", strerror(errno));
        size_t d = strlen(dir);
        if (d + 1 + len + 1 > sizeof dir)
            return error_set(err, GOLEAK_ERANGE, path, 0, 0, 0, "path too long");
        dir[d] = '/';
        memcpy(dir + d + 1, path, len + 1);
    } else {
        if (len + 1 > sizeof dir)
            return error_set(err, GOLEAK_ERANGE, path, 0, 0, 0, "path too long");
        memcpy(dir, path, len + 1);
    }
    /* a file: start in its directory */
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash == dir)
            dir[1] = 0;
        else if (slash)
            *slash = 0;
    }
    for (;;) {
        size_t d = strlen(dir);
        while (d > 1 && dir[d - 1] == '/') dir[--d] = 0;
        char gomod[4200];
        snprintf(gomod, sizeof gomod, "%s/go.mod", d == 1 ? "" : dir);
        if (stat(gomod, &st) == 0 && S_ISREG(st.st_mode))
            return read_go_line(gomod, buf, size, err);
        if (d <= 1) break;
        char *slash = strrchr(dir, '/');
        if (!slash) break;
        if (slash == dir)
            dir[1] = 0;
        else
            *slash = 0;
    }
    return error_set(err, GOLEAK_ENOTFOUND, path, 0, 0, 0, "%s: no go.mod found", path);
}
