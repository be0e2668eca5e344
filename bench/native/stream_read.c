/*
 * stream_read.c: sustained memory read bandwidth, STREAM-like. T threads each sum their own slice of a
 * float array of MB megabytes (first-touched by the thread that reads it), 16 independent lane sums so
 * the compiler vectorizes without reassociating; a pass lasts from the first worker's start to the last
 * one's end (timed by the workers); best of REPS passes over the whole array after one warm-up pass.
 *
 * usage: stream_read THREADS MB REPS
 * prints one line of JSON: {"gb_s":..,"threads":..,"mb":..,"best_s":..}
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LANES 16

static float *data;
static size_t per_thread; /* floats, a multiple of LANES */
static int threads;
static pthread_barrier_t start_barrier, end_barrier;
static volatile float sink[256];
static int reps;
static double *t_start, *t_end; /* per thread, per pass: measured by the workers, not the main thread (which may wake late) */

static double now_seconds(void);

static void *worker(void *arg) {
  long id = (long)arg;
  float *a = data + (size_t)id * per_thread;
  for (size_t i = 0; i < per_thread; i++) a[i] = (float)(i & 7) * 0.125f; /* first touch */
  for (int r = 0; r < reps + 1; r++) {
    pthread_barrier_wait(&start_barrier);
    t_start[(size_t)r * (size_t)threads + (size_t)id] = now_seconds();
    float s[LANES] = {0};
    for (size_t i = 0; i < per_thread; i += LANES)
      for (int j = 0; j < LANES; j++) s[j] += a[i + j];
    float total = 0;
    for (int j = 0; j < LANES; j++) total += s[j];
    sink[id & 255] = total;
    t_end[(size_t)r * (size_t)threads + (size_t)id] = now_seconds();
    pthread_barrier_wait(&end_barrier);
  }
  return NULL;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: stream_read THREADS MB REPS\n");
    return 2;
  }
  threads = atoi(argv[1]);
  long mb = atol(argv[2]);
  reps = atoi(argv[3]);
  if (threads < 1 || mb < 1 || reps < 1) return 2;
  per_thread = ((size_t)mb * 1024 * 1024 / sizeof(float) / (size_t)threads) / LANES * LANES;
  if (posix_memalign((void **)&data, 64, per_thread * (size_t)threads * sizeof(float)) != 0) return 1;
  pthread_barrier_init(&start_barrier, NULL, (unsigned)threads + 1);
  pthread_barrier_init(&end_barrier, NULL, (unsigned)threads + 1);
  pthread_t *tids = malloc(sizeof(pthread_t) * (size_t)threads);
  t_start = calloc((size_t)(reps + 1) * (size_t)threads, sizeof(double));
  t_end = calloc((size_t)(reps + 1) * (size_t)threads, sizeof(double));
  for (long t = 0; t < threads; t++) pthread_create(&tids[t], NULL, worker, (void *)t);
  double best = 1e30;
  for (int r = 0; r < reps + 1; r++) { /* pass 0 is a warm-up */
    pthread_barrier_wait(&start_barrier);
    pthread_barrier_wait(&end_barrier);
    double first = 1e30, last = 0;
    for (int t = 0; t < threads; t++) {
      double a = t_start[(size_t)r * (size_t)threads + (size_t)t], b = t_end[(size_t)r * (size_t)threads + (size_t)t];
      if (a < first) first = a;
      if (b > last) last = b;
    }
    double dt = last - first; /* from the first thread's start to the last thread's end */
    if (r > 0 && dt < best) best = dt;
  }
  for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);
  double bytes = (double)per_thread * (double)threads * sizeof(float);
  printf("{\"gb_s\":%.3f,\"threads\":%d,\"mb\":%ld,\"best_s\":%.6f}\n", bytes / best / 1e9, threads, mb, best);
  return 0;
}
