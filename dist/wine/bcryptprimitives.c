/* A test-only stand-in for Windows 10's bcryptprimitives.dll, for Wine 8,
 * which lacks it. Rust's standard library (1.78 and later) asks it for
 * random bytes (ProcessPrng) when a program starts, for its hash maps, so
 * bilan.exe does not start under Wine 8 without it. This one answers with
 * RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 *
 * dist/windows-test.sh builds it into the Wine prefix it creates:
 *   x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll \
 *     bcryptprimitives.c -ladvapi32
 * It is never shipped: every Windows since Windows 10 has the real one. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
