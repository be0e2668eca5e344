/*
 * fma_peak.c: the machine's FP32 fused-multiply-add peak, measured. T threads each run CHAINS
 * independent accumulator chains (enough to cover FMA latency x FMA units) of acc = acc * m + c for
 * ~SECONDS; GFLOP/s counts 2 flops per FMA lane. Vector width follows what -march=native enables:
 * AVX-512F, AVX2+FMA, NEON, or plain C where none of these is available.
 *
 * usage: fma_peak THREADS [SECONDS]
 * prints one line of JSON: {"gflops":..,"threads":..,"seconds":..,"isa":"..","chains":..}
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#include <immintrin.h>
typedef __m512 vec;
#define LANES 16
#define ISA "avx512f"
#define VSET1(x) _mm512_set1_ps(x)
#define VFMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#elif defined(__AVX__) && defined(__FMA__)
#include <immintrin.h>
typedef __m256 vec;
#define LANES 8
#define ISA "avx2-fma"
#define VSET1(x) _mm256_set1_ps(x)
#define VFMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#elif defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>
typedef float32x4_t vec;
#define LANES 4
#define ISA "neon"
#define VSET1(x) vdupq_n_f32(x)
#define VFMA(a, b, c) vfmaq_f32((c), (a), (b))
#else
typedef float vec;
#define LANES 1
#define ISA "scalar"
#define VSET1(x) (x)
#define VFMA(a, b, c) ((a) * (b) + (c))
#endif

#define CHAINS 12

static volatile float sink; /* keeps the accumulators observable, so the loop cannot be removed */

/* iters x CHAINS x LANES FMAs. acc -> c / (1 - m) ~ 1: no overflow, no denormals. */
static void kernel(long iters) {
  const vec m = VSET1(0.9999999f), c = VSET1(1e-7f);
  vec a0 = VSET1(0.10f), a1 = VSET1(0.11f), a2 = VSET1(0.12f), a3 = VSET1(0.13f);
  vec a4 = VSET1(0.14f), a5 = VSET1(0.15f), a6 = VSET1(0.16f), a7 = VSET1(0.17f);
  vec a8 = VSET1(0.18f), a9 = VSET1(0.19f), a10 = VSET1(0.20f), a11 = VSET1(0.21f);
  for (long i = 0; i < iters; i++) {
    a0 = VFMA(a0, m, c); a1 = VFMA(a1, m, c); a2 = VFMA(a2, m, c); a3 = VFMA(a3, m, c);
    a4 = VFMA(a4, m, c); a5 = VFMA(a5, m, c); a6 = VFMA(a6, m, c); a7 = VFMA(a7, m, c);
    a8 = VFMA(a8, m, c); a9 = VFMA(a9, m, c); a10 = VFMA(a10, m, c); a11 = VFMA(a11, m, c);
  }
  vec all[CHAINS] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11};
  const float *lanes = (const float *)all;
  float sum = 0.0f;
  for (int i = 0; i < CHAINS * LANES; i++) sum += lanes[i];
  sink = sum;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long iterations;
static atomic_int ready;
static atomic_int go;

static void *worker(void *unused) {
  (void)unused;
  atomic_fetch_add(&ready, 1);
  while (!atomic_load(&go)) {
  }
  kernel(iterations);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s THREADS [SECONDS]\n", argv[0]);
    return 2;
  }
  const int threads = atoi(argv[1]);
  const double seconds = argc == 3 ? atof(argv[2]) : 0.3;
  if (threads < 1 || threads > 1024 || !(seconds > 0.0)) {
    fprintf(stderr, "THREADS must be 1..1024 and SECONDS > 0 (got %s, %g)\n", argv[1], seconds);
    return 2;
  }

  /* Calibrate on one thread: double the work until a run takes >= 50 ms, then scale to SECONDS. */
  long iters = 1L << 16;
  double elapsed = 0.0;
  for (;;) {
    const double start = now_seconds();
    kernel(iters);
    elapsed = now_seconds() - start;
    if (elapsed >= 0.05) break;
    iters *= 2;
  }
  iterations = (long)((double)iters * seconds / elapsed);
  if (iterations < 1) iterations = 1;

  pthread_t *ids = malloc(sizeof(pthread_t) * (size_t)threads);
  if (ids == NULL) return 1;
  for (int t = 0; t < threads; t++) {
    if (pthread_create(&ids[t], NULL, worker, NULL) != 0) {
      fprintf(stderr, "pthread_create failed for thread %d\n", t);
      return 1;
    }
  }
  while (atomic_load(&ready) < threads) {
  }
  const double start = now_seconds();
  atomic_store(&go, 1);
  for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
  const double wall = now_seconds() - start;
  free(ids);

  const double flops = 2.0 * (double)threads * (double)iterations * CHAINS * LANES;
  printf("{\"gflops\":%.2f,\"threads\":%d,\"seconds\":%.3f,\"isa\":\"%s\",\"chains\":%d}\n", flops / wall / 1e9,
         threads, wall, ISA, CHAINS);
  return 0;
}
