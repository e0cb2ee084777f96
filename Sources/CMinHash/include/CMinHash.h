// The MinHash signature loop with the CPU's 64-bit vector multiply (AVX-512DQ's vpmullq), a
// separate C target because Swift cannot compile one function for a CPU feature and pick it
// at run time. MinHasher keeps its portable Swift loop for CPUs without the feature.
#ifndef CMINHASH_H
#define CMINHASH_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU (and the kernel, which must save the 512-bit registers) runs
/// `newsd_minhash_avx512`; 0 otherwise.
int newsd_minhash_avx512_available(void);

/// For every permutation k < `permutations`: `mins[k]` = the minimum over i < `count` of
/// `a[k] * values[i] + b[k]` modulo 2^64 (2^64 - 1 when `count` is 0). Call it only when
/// `newsd_minhash_avx512_available()` is 1.
void newsd_minhash_avx512(const uint64_t *values, size_t count, const uint64_t *a, const uint64_t *b,
                          size_t permutations, uint64_t *mins);

#endif
