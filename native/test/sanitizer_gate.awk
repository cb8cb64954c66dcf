# Reads AddressSanitizer/LeakSanitizer/UBSan logs from a BEAM node and decides whether the NIF is
# clean. BEAM itself leaks by design at exit (thread signal stacks and the like), so a leak
# counts only when a frame of its allocation stack lies in a library or source file whose path
# contains `pat` (-v pat=dala_ota_crypto). Memory errors and undefined behaviour count wherever
# they are: the node aborts on them, so any at all means the run cannot be trusted.
#
# Prints each counted report (frames in our library symbolised with addr2line when possible),
# then one line of totals. Exit status 0 when nothing counted, 1 otherwise.

function symbolise(line,    m, obj, off, cmd, fn, loc) {
    if (match(line, /\([^()]*\+0x[0-9a-f]+\)/) == 0) return line
    m = substr(line, RSTART + 1, RLENGTH - 2)
    obj = m; sub(/\+0x[0-9a-f]+$/, "", obj)
    off = m; sub(/^.*\+/, "", off)
    if (index(obj, pat) == 0) return line
    cmd = "addr2line -f -e '" obj "' " off " 2>/dev/null"
    fn = ""; loc = ""
    cmd | getline fn
    cmd | getline loc
    close(cmd)
    return (fn == "" || fn == "??") ? line : line "  " fn " " loc
}

function flush(    n, i, lines) {
    if (kind != "") {
        if (kind == "error") {
            errors++
        } else if (index(block, pat)) {
            leaks++
        } else {
            beam_leaks++
            block = ""
        }
        if (block != "") {
            n = split(block, lines, "\n")
            for (i = 1; i <= n; i++) print symbolise(lines[i])
            print ""
        }
    }
    block = ""
    kind = ""
}

/^(Direct|Indirect) leak of / { flush(); kind = "leak"; block = $0; next }
/ERROR: AddressSanitizer|runtime error:/ { flush(); kind = "error"; block = $0; next }
/^SUMMARY: / { if (kind == "error") block = block "\n" $0; flush(); next }
/^[ \t]*$/ { if (kind == "leak") flush(); else if (kind != "") block = block "\n"; next }
kind != "" { block = block "\n" $0 }

END {
    flush()
    printf "sanitizer gate: %d memory error(s) or UB report(s), %d leak(s) in the NIF; %d BEAM-internal leak(s) ignored\n", errors, leaks, beam_leaks
    exit (errors + leaks > 0) ? 1 : 0
}
