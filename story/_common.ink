// Helpers shared by every chapter's story. Files whose names start with '_' are only INCLUDEd
// by a chapter's .ink; scripts/compile-ink.js never compiles them on their own.
// Keep these pure: no EXTERNAL calls here (each chapter declares and binds its own).

// "1 day" / "3 days": pick the word that agrees with n.
=== function plural(n, one, many) ===
{ n == 1:
    ~ return one
- else:
    ~ return many
}

// Keeps x within lo..hi.
=== function clamp(x, lo, hi) ===
{
- x < lo:
    ~ return lo
- x > hi:
    ~ return hi
- else:
    ~ return x
}
