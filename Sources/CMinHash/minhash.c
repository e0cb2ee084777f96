// See CMinHash.h. Only this file's AVX-512 function is compiled for AVX-512 (a target
// attribute, not a flag for the whole target), so the binary still runs on any x86-64 and
// on other architectures, where the kernel is never available.
#include "CMinHash.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

int newsd_minhash_avx512_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    // OSXSAVE: the kernel reports which register states it saves in XCR0.
    if (!(ecx & (1u << 27))) return 0;
    unsigned int xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    // SSE, AVX, opmask and both halves of the ZMM registers.
    const unsigned int needed = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
    if ((xcr0_low & needed) != needed) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int avx512f = 1u << 16, avx512dq = 1u << 17;
    return (ebx & avx512f) && (ebx & avx512dq) ? 1 : 0;
}

__attribute__((target("avx512f,avx512dq")))
void newsd_minhash_avx512(const uint64_t *values, size_t count, const uint64_t *a, const uint64_t *b,
                          size_t permutations, uint64_t *mins) {
    const __m512i all_ones = _mm512_set1_epi64(-1);
    size_t k = 0;
    // Four permutations per pass over the values: each 8-value load feeds four independent
    // multiply-add-min chains, which hides vpmullq's latency.
    for (; k + 4 <= permutations; k += 4) {
        const __m512i a0 = _mm512_set1_epi64((long long)a[k]), b0 = _mm512_set1_epi64((long long)b[k]);
        const __m512i a1 = _mm512_set1_epi64((long long)a[k + 1]), b1 = _mm512_set1_epi64((long long)b[k + 1]);
        const __m512i a2 = _mm512_set1_epi64((long long)a[k + 2]), b2 = _mm512_set1_epi64((long long)b[k + 2]);
        const __m512i a3 = _mm512_set1_epi64((long long)a[k + 3]), b3 = _mm512_set1_epi64((long long)b[k + 3]);
        __m512i m0 = all_ones, m1 = all_ones, m2 = all_ones, m3 = all_ones;
        size_t i = 0;
        for (; i + 8 <= count; i += 8) {
            const __m512i h = _mm512_loadu_si512((const void *)(values + i));
            m0 = _mm512_min_epu64(m0, _mm512_add_epi64(_mm512_mullo_epi64(a0, h), b0));
            m1 = _mm512_min_epu64(m1, _mm512_add_epi64(_mm512_mullo_epi64(a1, h), b1));
            m2 = _mm512_min_epu64(m2, _mm512_add_epi64(_mm512_mullo_epi64(a2, h), b2));
            m3 = _mm512_min_epu64(m3, _mm512_add_epi64(_mm512_mullo_epi64(a3, h), b3));
        }
        if (i < count) {
            // The last 1-7 values: masked-off lanes leave the minima as they are.
            const __mmask8 lanes = (__mmask8)((1u << (count - i)) - 1);
            const __m512i h = _mm512_maskz_loadu_epi64(lanes, (const void *)(values + i));
            m0 = _mm512_mask_min_epu64(m0, lanes, m0, _mm512_add_epi64(_mm512_mullo_epi64(a0, h), b0));
            m1 = _mm512_mask_min_epu64(m1, lanes, m1, _mm512_add_epi64(_mm512_mullo_epi64(a1, h), b1));
            m2 = _mm512_mask_min_epu64(m2, lanes, m2, _mm512_add_epi64(_mm512_mullo_epi64(a2, h), b2));
            m3 = _mm512_mask_min_epu64(m3, lanes, m3, _mm512_add_epi64(_mm512_mullo_epi64(a3, h), b3));
        }
        mins[k] = _mm512_reduce_min_epu64(m0);
        mins[k + 1] = _mm512_reduce_min_epu64(m1);
        mins[k + 2] = _mm512_reduce_min_epu64(m2);
        mins[k + 3] = _mm512_reduce_min_epu64(m3);
    }
    for (; k < permutations; k++) {
        uint64_t m = UINT64_MAX;
        for (size_t i = 0; i < count; i++) {
            const uint64_t v = a[k] * values[i] + b[k];
            if (v < m) m = v;
        }
        mins[k] = m;
    }
}

#else

int newsd_minhash_avx512_available(void) { return 0; }

void newsd_minhash_avx512(const uint64_t *values, size_t count, const uint64_t *a, const uint64_t *b,
                          size_t permutations, uint64_t *mins) {
    (void)values; (void)count; (void)a; (void)b; (void)permutations; (void)mins;
}

#endif
