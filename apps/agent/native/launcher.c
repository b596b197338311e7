/*
 * agora-launcher: starts the agent's task processes so the agent does not have to fork itself.
 *
 * Node's child_process.spawn duplicates the whole agent (its heap included) and waits
 * synchronously for the exec, about 5 ms per task on a loaded machine. This program is small, so
 * posix_spawn from it costs a fraction of that, and the agent's event loop only writes a request
 * into a pipe. The protocol is in README.md next to this file; the agent's side is
 * apps/agent/src/drivers/process/launcher-client.ts.
 *
 * One launcher per agent, started at boot with its stdin and stdout as pipes to the agent. When
 * its stdin closes (the agent stopped or died) it is orphaned: it kills the process groups of
 * the tasks that have no exit file (their framework does not checkpoint, so no later agent will
 * look for them, as Mesos's executors exit with their agent), keeps reaping the others, writes
 * each one's exit status into its exit file for the recovering agent, and exits once no child
 * is left. Single-threaded: a poll loop over stdin and a signalfd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROTOCOL_VERSION 2
/* A request larger than this is a broken agent, not a big environment. */
#define MAX_FRAME (64u * 1024u * 1024u)
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Stages a start can fail in; the agent words its error from the stage and the errno. */
#define STAGE_REQUEST "request"
#define STAGE_STDOUT "stdout"
#define STAGE_STDERR "stderr"
#define STAGE_CGROUP "cgroup"
#define STAGE_SPAWN "spawn"

struct child {
  pid_t pid;
  unsigned long id;
  /* Where the exit status goes (NULL: nowhere; such a task dies with the agent connection). */
  char *exit_file;
};

static struct child *children;
static size_t child_count, child_capacity;

static char *out_buf;
static size_t out_len, out_capacity;

static int dev_null = -1;
/* The agent is gone (stdin closed, or a reply could not be written): nobody reads replies. */
static int orphaned;
static posix_spawnattr_t spawn_attr;

static void die(const char *what) {
  fprintf(stderr, "agora-launcher: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void *grow(void *buffer, size_t *capacity, size_t needed, size_t item) {
  if (needed <= *capacity) return buffer;
  size_t next = *capacity == 0 ? 64 : *capacity;
  while (next < needed) next *= 2;
  void *grown = realloc(buffer, next * item);
  if (grown == NULL) die("out of memory");
  *capacity = next;
  return grown;
}

/* Replies are buffered and written once per loop turn: one write for a batch of starts. */
static void reply(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void reply(const char *format, ...) {
  char line[256];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n < 0 || (size_t)n >= sizeof line) return;
  out_buf = grow(out_buf, &out_capacity, out_len + (size_t)n, 1);
  memcpy(out_buf + out_len, line, (size_t)n);
  out_len += (size_t)n;
}

static void become_orphan(void);

static void flush_replies(void) {
  size_t done = 0;
  while (!orphaned && done < out_len) {
    ssize_t n = write(STDOUT_FILENO, out_buf + done, out_len - done);
    if (n < 0 && errno == EINTR) continue;
    /* The agent is gone: nobody is left to tell. */
    if (n < 0) become_orphan();
    else done += (size_t)n;
  }
  out_len = 0;
}

static void track(pid_t pid, unsigned long id, const char *exit_file) {
  children = grow(children, &child_capacity, child_count + 1, sizeof *children);
  char *copy = NULL;
  if (*exit_file != '\0' && (copy = strdup(exit_file)) == NULL) die("out of memory");
  children[child_count++] = (struct child){pid, id, copy};
}

/*
 * `exited <code>` or `signaled <signo>` into the child's exit file, through a temporary file and
 * a rename, so a reader sees the whole line or no file. Best effort: a failure only loses what a
 * recovering agent could have known (it then reports the task lost).
 */
static void write_exit_file(const char *path, int status) {
  char temporary[PATH_MAX];
  if (snprintf(temporary, sizeof temporary, "%s.tmp", path) >= (int)sizeof temporary) return;
  int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  char line[64];
  int n = WIFSIGNALED(status) ? snprintf(line, sizeof line, "signaled %d\n", WTERMSIG(status))
                              : snprintf(line, sizeof line, "exited %d\n", WEXITSTATUS(status));
  int ok = write(fd, line, (size_t)n) == n && fsync(fd) == 0;
  close(fd);
  if (!ok || rename(temporary, path) != 0) unlink(temporary);
}

/* Reports every child that ended. Children are removed by swapping in the last one. */
static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (size_t i = 0; i < child_count; i++) {
      if (children[i].pid != pid) continue;
      /* The file first: an agent that dies before reading the reply still learns the exit. */
      if (children[i].exit_file != NULL) write_exit_file(children[i].exit_file, status);
      if (WIFSIGNALED(status)) reply("signaled %lu %d\n", children[i].id, WTERMSIG(status));
      else reply("exited %lu %d\n", children[i].id, WEXITSTATUS(status));
      free(children[i].exit_file);
      children[i] = children[--child_count];
      break;
    }
  }
}

/*
 * The agent is gone. Tasks without an exit file die now (their framework does not checkpoint);
 * the others are waited for, so their exits reach their files.
 */
static void become_orphan(void) {
  if (orphaned) return;
  orphaned = 1;
  out_len = 0;
  for (size_t i = 0; i < child_count; i++)
    if (children[i].exit_file == NULL) kill(-children[i].pid, SIGKILL);
}

/* A decimal number that fills the whole field. */
static int parse_count(const char *text, unsigned long *value) {
  if (*text == '\0') return -1;
  char *end;
  errno = 0;
  *value = strtoul(text, &end, 10);
  return errno != 0 || *end != '\0' ? -1 : 0;
}

/*
 * As execvp does, but with the PATH of the task's environment rather than the launcher's (as
 * Node's spawn does): the first executable candidate wins; EACCES if only non-executable ones exist.
 */
static int resolve(const char *file, char *const env[], char *found, size_t size) {
  if (strchr(file, '/') != NULL) {
    if (strlen(file) >= size) return ENAMETOOLONG;
    strcpy(found, file);
    return 0;
  }
  const char *path = DEFAULT_PATH;
  for (char *const *e = env; *e != NULL; e++)
    if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
  int error = ENOENT;
  for (const char *dir = path;; dir++) {
    const char *end = strchrnul(dir, ':');
    size_t len = (size_t)(end - dir);
    if (len == 0) len = 1, dir = ".";
    if (len + 1 + strlen(file) < size) {
      memcpy(found, dir, len);
      found[len] = '/';
      strcpy(found + len + 1, file);
      if (access(found, X_OK) == 0) {
        struct stat st;
        if (stat(found, &st) == 0 && S_ISREG(st.st_mode)) return 0;
      } else if (errno == EACCES) {
        error = EACCES;
      }
    }
    if (*end == '\0') break;
    dir = end;
  }
  return error;
}

/* `/bin/sh path argv[1]...`: how execvp runs an executable the kernel has no format for. */
static char **script_argv(const char *path, char *const argv[]) {
  size_t argc = 0;
  while (argv[argc] != NULL) argc++;
  char **script = calloc(argc + 2, sizeof *script);
  if (script == NULL) die("out of memory");
  script[0] = "/bin/sh";
  script[1] = (char *)path;
  for (size_t i = 1; i < argc; i++) script[i + 1] = argv[i];
  return script;
}

/*
 * With a cgroup: fork (the launcher is small, so this is cheap), join the cgroup in the child,
 * then exec, so the task never runs a single instruction outside it. The child reports a failure
 * through a close-on-exec pipe; end of file on it means the exec succeeded.
 */
static pid_t fork_into_cgroup(const char *path, char *const argv[], char *const env[], const char *cwd, const char *procs,
                              int out, int err, const char **stage, int *error) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    *stage = STAGE_SPAWN, *error = errno;
    return -1;
  }
  /* Built before the fork: the child only execs. */
  char **script = script_argv(path, argv);
  pid_t pid = fork();
  if (pid < 0) {
    *stage = STAGE_SPAWN, *error = errno;
    close(report[0]), close(report[1]);
    free(script);
    return -1;
  }
  if (pid == 0) {
    struct { int stage; int error; } failure = {0, 0};
    sigset_t none;
    sigemptyset(&none);
    for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    char pid_text[32];
    int n = snprintf(pid_text, sizeof pid_text, "%d\n", (int)getpid());
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, pid_text, (size_t)n) != n) {
      failure.stage = 1, failure.error = errno;
    } else if (dup2(dev_null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 || chdir(cwd) != 0) {
      failure.stage = 2, failure.error = errno;
    } else {
      execve(path, argv, env);
      if (errno == ENOEXEC) execve("/bin/sh", script, env);
      failure.stage = 2, failure.error = errno;
    }
    if (write(report[1], &failure, sizeof failure) < 0) _exit(127);
    _exit(127);
  }
  close(report[1]);
  free(script);
  struct { int stage; int error; } failure;
  ssize_t n;
  do n = read(report[0], &failure, sizeof failure);
  while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == (ssize_t)sizeof failure) {
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    *stage = failure.stage == 1 ? STAGE_CGROUP : STAGE_SPAWN, *error = failure.error;
    return -1;
  }
  return pid;
}

static pid_t spawn_plain(const char *path, char *const argv[], char *const env[], const char *cwd, int out, int err,
                         const char **stage, int *error) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, dev_null, 0);
  posix_spawn_file_actions_adddup2(&actions, out, 1);
  posix_spawn_file_actions_adddup2(&actions, err, 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd);
  pid_t pid;
  int failed = posix_spawn(&pid, path, &actions, &spawn_attr, argv, env);
  if (failed == ENOEXEC) {
    /* As execvp (and so Node's spawn): an executable without a format is a shell script. */
    char **script = script_argv(path, argv);
    failed = posix_spawn(&pid, "/bin/sh", &actions, &spawn_attr, script, env);
    free(script);
  }
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) {
    *stage = STAGE_SPAWN, *error = failed;
    return -1;
  }
  return pid;
}

/* One start: fields "spawn", id, file, cwd, stdout, stderr, procs, exit, argc, argv..., envc, env... */
#define FIXED_FIELDS 9
static void handle(char *payload, size_t length) {
  char *fields[FIXED_FIELDS];
  size_t count = 0;
  char *p = payload, *end = payload + length;
  while (count < FIXED_FIELDS && p < end) {
    fields[count++] = p;
    p += strnlen(p, (size_t)(end - p)) + 1;
  }
  unsigned long id, argc, envc;
  if (count < FIXED_FIELDS || p > end || strcmp(fields[0], "spawn") != 0 || parse_count(fields[1], &id) != 0) {
    reply("invalid request\n");
    return;
  }
  if (parse_count(fields[8], &argc) != 0 || argc == 0 || argc > length) {
    reply("failed %lu %d %s\n", id, EINVAL, STAGE_REQUEST);
    return;
  }
  char **argv = calloc(argc + 1, sizeof *argv);
  char **env = NULL;
  if (argv == NULL) die("out of memory");
  for (unsigned long i = 0; i < argc; i++) {
    if (p >= end) goto invalid;
    argv[i] = p;
    p += strnlen(p, (size_t)(end - p)) + 1;
  }
  if (p >= end) goto invalid;
  char *envc_text = p;
  p += strnlen(p, (size_t)(end - p)) + 1;
  if (p > end || parse_count(envc_text, &envc) != 0 || envc > length) goto invalid;
  env = calloc(envc + 1, sizeof *env);
  if (env == NULL) die("out of memory");
  for (unsigned long i = 0; i < envc; i++) {
    if (p >= end) goto invalid;
    env[i] = p;
    p += strnlen(p, (size_t)(end - p)) + 1;
  }
  if (p != end) goto invalid;

  const char *file = fields[2], *cwd = fields[3], *procs = fields[6], *exit_file = fields[7];
  const char *stage = NULL;
  int error = 0;
  char path[PATH_MAX];
  int out = open(fields[4], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  int err = out < 0 ? -1 : open(fields[5], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  pid_t pid = -1;
  if (out < 0) stage = STAGE_STDOUT, error = errno;
  else if (err < 0) stage = STAGE_STDERR, error = errno;
  else if ((error = resolve(file, env, path, sizeof path)) != 0) stage = STAGE_SPAWN;
  else if (*procs != '\0') pid = fork_into_cgroup(path, argv, env, cwd, procs, out, err, &stage, &error);
  else pid = spawn_plain(path, argv, env, cwd, out, err, &stage, &error);
  if (out >= 0) close(out);
  if (err >= 0) close(err);
  if (pid > 0) {
    track(pid, id, exit_file);
    reply("started %lu %d\n", id, (int)pid);
  } else {
    reply("failed %lu %d %s\n", id, error, stage);
  }
  free(argv);
  free(env);
  return;
invalid:
  free(argv);
  free(env);
  reply("failed %lu %d %s\n", id, EINVAL, STAGE_REQUEST);
}

int main(void) {
  /* A write to a gone agent must not kill the launcher before it can exit cleanly. */
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0) die("sigprocmask");
  int sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd < 0) die("signalfd");
  dev_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (dev_null < 0) die("/dev/null");

  /* Children start as Node's would: a session of their own, default signal handling, no mask. */
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_init(&spawn_attr);
  posix_spawnattr_setflags(&spawn_attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setsigmask(&spawn_attr, &none);
  posix_spawnattr_setsigdefault(&spawn_attr, &all);

  reply("ready %d\n", PROTOCOL_VERSION);
  flush_replies();

  char *in = NULL;
  size_t in_len = 0, in_capacity = 0;
  struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {sfd, POLLIN, 0}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (fds[1].revents & POLLIN) {
      struct signalfd_siginfo info;
      while (read(sfd, &info, sizeof info) == (ssize_t)sizeof info) {
      }
      reap();
    }
    if (fds[0].fd >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      in = grow(in, &in_capacity, in_len + 65536, 1);
      ssize_t n = read(STDIN_FILENO, in + in_len, in_capacity - in_len);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        /* The agent closed the pipe or died: say what is left to say, then only reap. */
        flush_replies();
        become_orphan();
        n = 0;
      }
      if (n > 0) in_len += (size_t)n;
      size_t at = 0;
      while (in_len - at >= 4) {
        const unsigned char *h = (const unsigned char *)in + at;
        uint32_t length = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
        if (length > MAX_FRAME) {
          reply("fatal frame of %u bytes is over the limit\n", length);
          flush_replies();
          return 2;
        }
        if (in_len - at - 4 < length) {
          in = grow(in, &in_capacity, at + 4 + length, 1);
          break;
        }
        handle(in + at + 4, length);
        at += 4 + length;
      }
      memmove(in, in + at, in_len - at);
      in_len -= at;
      /* Children that ended while this batch started are reported in the same write. */
      reap();
    }
    flush_replies();
    if (orphaned) {
      fds[0].fd = -1;
      if (child_count == 0) return 0;
    }
  }
}
