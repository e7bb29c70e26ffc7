// Chapter 1 of the grimoire: "it's coming from INSIDE THE KERNEL".
//
// The words only. The kernel simulation is the source of truth: this story reads it solely through
// the EXTERNAL functions below and never prints system output, or any number it did not get from
// one of them. The contract (knots, externals, variables, speakers) is
// engine/chapters/ch1/storyContract.ts; the runner is engine/story/inkRunner.ts.
//
// Conventions
// - Dialogue lines end with "# speaker: NAME" (Odile, Kwame, pager). Untagged lines are the
//   grimoire's own narration. "# heading" marks a section heading inside a long knot (the debrief).
// - Every knot the engine runs ends with -> DONE, which hands control back to the shell.
// - Commands the player might type are written in `backticks`; test/story checks them against
//   STORY_COMMANDS in the contract, so add new ones there.

INCLUDE _common.ink

EXTERNAL found(clue_id)
EXTERNAL fix_kind()
EXTERNAL wrong_fix_kind()
EXTERNAL hints_used()
EXTERNAL spells_cast()
EXTERNAL oom_kills_seen()
EXTERNAL peak_sunreclaim_mb()
EXTERNAL sunreclaim_mb()
EXTERNAL days_to_solve()
EXTERNAL nsd_version()
EXTERNAL kernel_release()
EXTERNAL incident_nsd_version()
EXTERNAL incident_kernel_release()
EXTERNAL hostname()

CONST HINT_LEVELS = 6

// Set by the engine before it runs `hints`: 1 for the first hint, then 2, 3 ... HINT_LEVELS.
VAR hint_level = 0

// The engine always enters through a named knot.
-> DONE


// ---------------------------------------------------------------------------------------------
// The book opens.

=== briefing ===
The book does not so much open as let you in. Its pages are warm, the way a server rack is warm.
Chapter One. The heading is written in a hand that is almost yours: it's coming from INSIDE THE KERNEL. The ink has not quite dried.
Somewhere in your pocket, a pager agrees with it.
DNS lookups failing intermittently on {hostname()}, secondary nameserver. # speaker: pager
You are this week's on-call engineer. You have a shell on {hostname()}, a colleague who owns DNS, a lead who would rather have answers than restarts, and a book that knows more than it says.
Hey. Some lookups time out, most don't, and it never stays broken long enough to stare at. Odile knows the DNS side; I'm running the incident. Tell me what you find, not just what you tried. # speaker: Kwame
Cast spells by typing ordinary commands at the prompt, as on any Linux machine. `help` lists what you know, `hint` asks the book, `talk` finds a colleague, `status` shows your objectives, and `journal` keeps what you have learned.
-> DONE


// ---------------------------------------------------------------------------------------------
// Colleagues. `talk` opens a menu of people; each conversation ends back at the shell.

=== talk ===
{ stopping:
- The incident channel is quiet in the way channels get when everyone is staring at the same graph. Two people in it might help.
- Odile and Kwame are still in the incident channel.
}
+ [Odile, who owns DNS and built the zone transfers] -> talk_odile
+ [Kwame, the SRE lead running the incident] -> talk_kwame
+ [Nobody. Back to the shell.]
    {&You leave the channel to its graphs.|The book says nothing, which is its own kind of remark.|Back to the prompt.}
    -> DONE

=== talk_odile ===
{ talk_odile == 1:
    Odile built the pipeline that feeds this box and has answered for it ever since. She looks up from her own terminal.
    If you're here to tell me it's DNS: it's always DNS, I know. Sometimes DNS is the one getting hurt. # speaker: Odile
- else:
    {&Odile, again, mid-sip of something that has gone cold.|Odile pulls one earbud out.|Odile is reading transfer logs and does not stop.}
}
-> topics

= topics
* [What does this box actually do?]
    It's a secondary. The primary is hidden: nothing queries it except the secondaries. When a record changes, the primary sends a NOTIFY, this box pulls the change as a zone transfer, and NSD starts answering with it. # speaker: Odile
    Resolvers ask both secondaries. When one stops answering they try the other, which is why this looks more like slowness than an outage. # speaker: Odile
    -> topics
* [How often do the zones change?]
    Constantly. Service discovery writes a record for every instance that starts or stops, so every deploy arrives here as a burst of transfers. Change, NOTIFY, transfer, reload, answer: live within seconds. # speaker: Odile
    I was rather proud of that. # speaker: Odile
    -> topics
* [Has anything changed recently?]
    Not in my config. Not for months. # speaker: Odile
    The fleet keeps growing, though. More instances, more churn, more transfers. If you want something that has been getting slowly worse, that has. # speaker: Odile
    -> topics
* {not found("oom_in_logs")} [Where would you start?]
    With the symptom, then with whoever is hurting it. I have never seen NSD crash by itself. If it keeps dying, something is killing it. # speaker: Odile
    -> topics
* (told_oom) {found("oom_in_logs")} [The kernel's OOM killer keeps killing nsd.]
    NSD? It serves a handful of small zones. Its resident memory is modest; I looked when this started. # speaker: Odile
    If this box is out of memory, NSD isn't what ate it. It's just the biggest thing standing in the room when the killer walks in. # speaker: Odile
    -> topics
* {found("nsd_pid_changes") or found("reloads_in_logs")} [Why does nsd's main process keep changing PID?]
    That's a reload. On our version, the main process forks; the child reads the new zone data, starts fresh server processes and takes over as the new main. The old main keeps serving until the new one is ready, then exits. # speaker: Odile
    No restart, no dropped queries. The process tree quietly replaces itself, one generation per transfer. # speaker: Odile
    She pauses.
    So, yes. It has done that a great many times. # speaker: Odile
    -> topics
* {found("anon_vma_top")} [Could all those forks be leaking kernel memory?]
    Forks don't leak. A process exits and the kernel cleans up after it. That's the deal. # speaker: Odile
    She stops typing.
    Unless the deal has fine print. Which version of the deal are we on? # speaker: Odile
    -> topics
* {not found("versions_known")} [Which NSD version do we run?]
    Whatever the distribution shipped when we built the box. I never pinned it, which I'm only now recognising as a decision. `nsd -v` will tell you. # speaker: Odile
    -> topics
* {found("versions_known")} [Would a newer NSD behave differently?]
    We're on {nsd_version()}. Give me a second with the changelog. # speaker: Odile
    Here. NLnet Labs turned reloads inside out in 4.1.0: the parent does the reload and stays main, and the child it forks is the one that retires. The entry is about never letting the line of process parents grow deep. # speaker: Odile
    I read that when it came out and thought it was about someone else's operating system. # speaker: Odile
    -> topics
+ [Thanks. Back to the shell.]
    {&Shout if you need me.|Bring me evidence, not vibes.|I'll be here, watching transfers scroll past.} # speaker: Odile
    -> DONE

=== talk_kwame ===
{ talk_kwame == 1:
    Kwame has the incident doc in one window and the graphs in another, and types like someone who is also on a call.
- else:
    {&Kwame looks up.|Kwame finishes a sentence in the incident doc first.|Kwame nods at you without looking away from the graphs.}
}
-> topics

= topics
* [What's the impact right now?]
    A slice of lookups against this secondary fail or time out. Resolvers retry the other one, so most people just see things get slow. Some see errors. # speaker: Kwame
    Intermittent is the worst kind: never broken long enough to look at, never fine long enough to forget. # speaker: Kwame
    -> topics
* [Has this happened before?]
    Every so often this box gets sad, someone restarts nsd, and it goes away. Nobody wrote down why. # speaker: Kwame
    That last part is what I'd like to change this time. # speaker: Kwame
    -> topics
* [Can I just restart nsd?]
    You can. The graphs will look lovely and we'll have learned nothing. # speaker: Kwame
    If you restart it, do it as an experiment: say what you expect to see, then look. # speaker: Kwame
    -> topics
* {found("oom_in_logs")} [The OOM killer has been killing nsd.]
    Then something is using the memory. Is it nsd? # speaker: Kwame
    ** {talk_odile.topics.told_oom} [Odile says nsd is small.]
        Then nsd is the victim, not the suspect. Find out who is actually holding the memory. # speaker: Kwame
    ** {found("memory_used_not_by_processes")} [It isn't. All the processes together hold far less than what's used.]
        Then nsd is the victim, not the suspect. Whatever is holding the memory isn't a process. # speaker: Kwame
    ** [I haven't checked yet.]
        Check before you accuse. The killer goes for whichever process looks biggest to it, and it only counts what processes own. # speaker: Kwame
    -- -> topics
* {found("memory_used_not_by_processes") or found("slab_huge")} [The memory isn't in any process. It's the kernel's.]
    { found("slab_huge"):
        Slab, then. Right now the box says {sunreclaim_mb()} MB of it is unreclaimable. # speaker: Kwame
    - else:
        Kernel memory, then. Where inside the kernel? /proc/meminfo will split it out for you. # speaker: Kwame
    }
    Kernel memory that only ever grows is usually the kernel keeping something on someone's behalf. A driver, a module, or a process doing one odd thing over and over. Which cache is it? # speaker: Kwame
    -> topics
* {found("anon_vma_top")} [anon_vma is the biggest slab cache.]
    I know that name from a bad week at another job. It's how the kernel keeps track of memory that a parent and child share after fork. # speaker: Kwame
    So: what on this box forks, and how often? # speaker: Kwame
    -> topics
* {found("anon_vma_top") and (found("nsd_pid_changes") or found("reloads_in_logs") or found("versions_known"))} [What fixes would you accept?]
    Ones that make it stop happening, not just stop hurting. # speaker: Kwame
    A kernel that doesn't hoard that bookkeeping, or an NSD that doesn't generate it. Either way, evidence first: show me the thing growing, and show me it's the reloads doing it. # speaker: Kwame
    Restarts on a timer I'll take as a bandage while we do the real fix. I don't want to be the team that restarts DNS on a schedule forever and can't say why. # speaker: Kwame
    And if you're tempted by drop_caches, or by making nsd unkillable: don't. Tell me why not, if you like. But don't. # speaker: Kwame
    -> topics
* {fix_kind() != "none"} [The fix is in. What now?]
    Now we watch it for a week. Fixes that work for a day are how we got here. # speaker: Kwame
    -> topics
+ [That's all for now.]
    {&Keep me posted.|Thanks. Write down what you see.|Go find it.} # speaker: Kwame
    -> DONE


// ---------------------------------------------------------------------------------------------
// Hints. The engine sets hint_level (1 = gentlest, HINT_LEVELS = the answer) and runs `hints`.
// Each level adapts to what the player has already found.

=== hints ===
~ temp level = clamp(hint_level, 1, HINT_LEVELS)
{ level:
- 1: -> level_1
- 2: -> level_2
- 3: -> level_3
- 4: -> level_4
- 5: -> level_5
- else: -> level_6
}

// Levels 1 to 3 aim at the player's next step (see hint_stage): 1 asks a question, 2 says where
// to look, 3 explains the idea behind it. Levels 4 to 6 tell the story outright.
= level_1
{ hint_stage():
- 0:
    { found("dns_failing"):
        You have seen lookups fail. NSD rarely falls over on its own. What does the kernel log say happened to it?
    - else:
        Start with what the users see, then ask the kernel what it has been doing. The kernel log remembers every process it had to stop.
    }
- 1: You already know the OOM killer has been here. The better question is not who it killed, but who was holding the memory.
- 2: Memory that no process owns still belongs to someone. Who else on a Linux machine allocates memory?
- 3: The kernel is the one holding the memory. It keeps its small objects in named caches: which one has grown?
- 4: anon_vma grows with fork(). What on a DNS server forks, and how often?
- 5: You have tied the forks to NSD's reloads. Is this particular NSD, on this particular kernel, known for it?
- 6: You have a theory. Can you make the leak happen on purpose, and make it go away on purpose?
- else: You have the whole story. What would stop it happening, rather than stop it hurting?
}
-> DONE

= level_2
{ hint_stage():
- 0: `dmesg` shows the OOM killer's reports: who it chose, and how little that process was holding.
- 1: Add up what the processes really hold (`ps aux --sort=-rss`) and compare it with what `free -m` calls used. If there is a big gap, the memory is nobody's.
- 2: /proc/meminfo splits the kernel's share out line by line: `grep -e Slab -e SReclaimable -e SUnreclaim /proc/meminfo`. (`grep -i slab` finds only the Slab total: the names of its two halves do not contain the word.)
- 3: `sudo slabtop -o` lists the kernel's caches, biggest first; `sudo cat /proc/slabinfo` has the same in raw numbers.
- 4: Run `ps -ef` now and again and watch nsd: does its main process keep the same PID? Then read NSD's log (`grep nsd /var/log/syslog`), or ask Odile what a zone transfer makes NSD do.
- 5: `nsd -v` and `uname -r`, then hold them up against NSD's changelog and the kernel's history.
- 6: Force a burst of reloads with `sudo nsd-control reload` and watch SUnreclaim; then restart nsd completely with `sudo service nsd restart` and watch it again.
- else: Ask Kwame which fixes he would accept. He has opinions, and they are good ones.
}
-> DONE

= level_3
{ hint_stage():
- 0: The OOM killer is the kernel's last resort when memory runs out: it picks a process by how much that process holds, and kills it. `dmesg \| grep -i oom` shows whether it has been busy, and whom it chose.
- 1: The OOM killer scores processes by what they hold: resident memory, swap, page tables. It cannot see memory the kernel allocated for itself, so the process it kills need not be the one responsible.
- 2: Slab is the kernel's allocator for its own small objects. SUnreclaim is the part it cannot give back under pressure; if that is most of the machine, the kernel is keeping something.
- 3: Each slab cache is named after the object it holds. The biggest one will tell you which part of the kernel is hoarding.
- 4: An anon_vma is how the kernel finds every process that might map a page of anonymous memory. A memory region gets its first one when it first touches an anonymous page, and every fork() gives the child's copy of the region one more, linked to all of its parent's. A process that keeps replacing itself with its own child adds a level every time.
- 5: NSD changed how it reloads in 4.1.0, and the kernel changed how it links anon_vmas in Linux 3.19. Which side of each line is this box on?
- 6: A good experiment has a prediction. If reloads cause the growth, a burst of reloads should make SUnreclaim climb quickly, and a full restart, which ends every nsd process, should bring it down.
- else: Two fixes are within reach: a kernel with the fix, or, as a bandage, scheduled full restarts. Only the kernel removes the cause. NSD 4.1.0 removed it from NSD's side too, but trusty's archive has nothing newer than the NSD this box runs.
}
-> DONE

= level_4
The biggest caches are anon_vma and anon_vma_chain: the kernel's record of which processes might share a page of anonymous memory after fork(). They grow without end when something forks again and again and its ancestors' bookkeeping is never released.
{
- found("nsd_pid_changes") and found("reloads_in_logs"):
    You have seen the pattern already: every zone transfer, a reload; every reload, a new main process. Now find out whether this NSD and this kernel are the ones that make that pattern expensive.
- found("nsd_pid_changes"):
    You have seen nsd's main process change. Read NSD's log (`grep nsd /var/log/syslog`) to see what makes it happen, or ask Odile.
- else:
    Run `ps -ef` now and again and watch nsd: does its main process keep the same PID? Then read NSD's log (`grep nsd /var/log/syslog`), or ask Odile what a zone transfer makes NSD do.
}
-> DONE

= level_5
Every zone transfer makes NSD reload. Before 4.1.0, NSD reloads by forking: the child becomes the new main and the parent exits. Kernels without the fix that first shipped in Linux 3.19 never free the anon_vma level each such generation adds, so the chain grows by one level per reload.
{ not found("versions_known"):
    Check which side of both lines this box is on: `nsd -v` and `uname -r`.
}
{ not found("growth_reproduced"):
    To prove it, force a burst of reloads with `sudo nsd-control reload` and watch SUnreclaim and anon_vma climb.
}
{ not found("restart_releases"):
    Then stop and start nsd completely (`sudo service nsd restart`, not a reload) and watch the slab fall.
}
-> DONE

= level_6
The answer, plainly: NSD's fork-and-hand-over reload meets a kernel that never frees the anon_vma chain that pattern builds.
Best fix: boot a kernel that carries commit 7a3ef208e662, which means Linux 3.19 or later. Trusty's archive has none yet, but Ubuntu's kernel team builds every mainline release: `wget http:\/\/kernel.ubuntu.com/~kernel-ppa/mainline/v3.19-vivid/linux-image-3.19.0-031900-generic_3.19.0-031900.201502091451_amd64.deb`, install it with `sudo dpkg -i` and the file's name, then `sudo reboot`.
NSD 4.1.0 or later would also stop reloads building the chain, but trusty's archive has nothing newer than the NSD this box runs.
Stopgap only: schedule full restarts of nsd, often enough to stay ahead of the leak.
Don't bother with drop_caches, oom_score_adj, more swap or more memory, and remember that a single restart only resets the clock. Then let the week run and watch SUnreclaim stay flat.
-> DONE


// How far along the trail the player is: the index of the first step not yet found.
=== function hint_stage() ===
{
- not found("oom_in_logs"):
    ~ return 0
- not (found("memory_used_not_by_processes") or found("slab_huge")):
    ~ return 1
- not found("slab_huge"):
    ~ return 2
- not found("anon_vma_top"):
    ~ return 3
- not (found("nsd_pid_changes") or found("reloads_in_logs")):
    ~ return 4
- not found("versions_known"):
    ~ return 5
- not (found("growth_reproduced") and found("restart_releases")):
    ~ return 6
- else:
    ~ return 7
}


// ---------------------------------------------------------------------------------------------
// Reactions to clues, one short knot per clue id (run once, when the clue is first found).

=== clue_dns_failing ===
There it is, the symptom in its natural habitat: some queries get an answer, some wait and wait and get nothing.
A nameserver that answers only sometimes has not broken. Something keeps interrupting it. The book makes a small pleased sound, as books should not.
-> DONE

=== clue_oom_in_logs ===
The kernel log keeps a tidy record of its own violence. The OOM killer has been here, and nsd is what it took.
Out of memory? On a box whose only job is answering DNS? # speaker: Odile
A note surfaces in the margin: ask who was holding the memory, not who was killed for it.
-> DONE

=== clue_memory_used_not_by_processes ===
Add up what every process holds and you come up far short of what `free` calls used. Memory with no owner.
The book likes a mystery with a missing body. Memory that no process owns is, nearly always, memory the kernel is keeping for itself.
-> DONE

=== clue_slab_huge ===
Slab is the kernel's own allocator, cutting pages into small objects for its internal bookkeeping. Here it has taken most of the machine, and SUnreclaim, the part the kernel cannot give back under pressure, stands at {sunreclaim_mb()} MB.
That isn't a leak in anything we wrote. That's the kernel holding on to something. Holding on to what? # speaker: Kwame
-> DONE

=== clue_anon_vma_top ===
At the top of the slab caches: anon_vma and anon_vma_chain. The margin fills in, helpfully and a little too quickly.
An anon_vma lets the kernel find every process that might map a page of anonymous memory, the heap and stack that fork() shares copy-on-write between parent and child. A region gets one at its first anonymous page fault, and another at every fork; the chain entries tie each memory region to all the anon_vmas above it.
Faults alone make one per region and stop there. So what keeps these growing is forking. What forks that much on a DNS server?
-> DONE

=== clue_nsd_pid_changes ===
nsd's main process keeps changing PID. Nothing crashes: a new one appears, the old one goes, and the service carries on.
A process replaced by its own child, again and again. The book underlines "child" twice, then a third time.
-> DONE

=== clue_reloads_in_logs ===
NSD's log is a steady drumbeat: a zone transfer arrives, NSD reloads. Another arrives. Another reload.
That's normal. That's the pipeline working: every change in service discovery ends up here. # speaker: Odile
{ found("nsd_pid_changes"):
    And every reload is a new main process? Then every transfer is a fork. Huh. # speaker: Odile
}
-> DONE

=== clue_versions_known ===
NSD {nsd_version()} on kernel {kernel_release()}. Write them down: versions are where old bugs keep their addresses.
Kernels and daemons both keep changelogs. The book has a feeling that someone, somewhere, has met this before.
-> DONE

=== clue_growth_reproduced ===
You forced the reloads and watched: anon_vma and its chains climb with every one, and SUnreclaim with them, now {sunreclaim_mb()} MB. Nothing is ever handed back.
A bug you can cause on purpose is a bug you can kill.
That's the evidence I wanted. Reloads in, kernel memory out, and none of it returned. # speaker: Kwame
-> DONE

=== clue_restart_releases ===
A full restart of nsd, every process gone at once, and the slab lets go: SUnreclaim is down to {sunreclaim_mb()} MB.
The memory belonged to nsd's family tree all along. The kernel kept each generation's bookkeeping as long as any descendant lived, and released it only when the whole line ended.
So a restart fixes it. For how long? # speaker: Kwame
-> DONE


// ---------------------------------------------------------------------------------------------
// Events the engine raises.

=== event_oom_again ===
~ temp kills = oom_kills_seen()
{
- fix_kind() != "none":
    The OOM killer just fired on {hostname()}, after the fix went in. Check what it took, and check the fix. # speaker: Kwame
- kills <= 1:
    The OOM killer just fired on {hostname()} again. Check what it took. # speaker: Kwame
- else:
    Another OOM kill on {hostname()}. That's {kills} since you picked this up. # speaker: Kwame
}
{&The page under your hand feels warmer.|Somewhere a resolver gives up on this box and tries the other one.|The book turns back a page, as if to reread something.}
-> DONE

=== event_fix_applied ===
~ temp kind = fix_kind()
{ kind:
- "kernel":
    {hostname()} is back up, running {kernel_release()}. # speaker: Kwame
    A kernel with the bookkeeping mended at its root, and a reboot that threw every old generation away with everything else.
- "nsd":
    nsd reports {nsd_version()} now, restarted from scratch. Keep an eye on the main PID across reloads: it should stay put from here on. # speaker: Odile
    The family tree is cut back to a single generation, and reloads will no longer grow it.
- "restarts":
    Scheduled full restarts of nsd are in. I'll take it as a bandage. I want the real fix on the calendar. # speaker: Kwame
    The book writes the word "bandage" in the margin, and waits.
- else:
    Something changed on {hostname()}. The book waits to see whether it matters.
}
Now the week. The chapter won't close until the fix has held for a week of the machine's time.
-> DONE

=== event_wrong_fix ===
~ temp kind = wrong_fix_kind()
{ kind:
- "drop_caches":
    drop_caches hands back what the kernel can rebuild: clean page cache, dentries, inodes. What is filling this box is none of those; SUnreclaim reads {sunreclaim_mb()} MB. The clue was in the name.
- "oom_score_adj":
    You have told the OOM killer that nsd is off limits. It will still have to kill something when memory runs out, so it will pick the next biggest process: sshd, the monitoring agent, whatever is left. With nothing killable it can take the whole machine down. The memory fills exactly as before.
    Please don't make the thing that triggers the leak immortal. # speaker: Kwame
- "swap":
    Swap gives the kernel somewhere to put idle user pages. Slab objects belong to the kernel and never go to swap. You have bought a little time, paid for in disk thrashing, and the line still goes up.
- "memory":
    More memory moves the next OOM further away. It does not change the slope of the line, only where it meets the ceiling.
    Bigger boxes, same bug. I've seen that movie. # speaker: Kwame
- "restart_once":
    A restart ends every nsd process at once, so the kernel finally frees every generation. The next zone transfer starts a new family, and a new chain.
    Graphs look great. Screenshot them, then look again in a few days. # speaker: Kwame
- else:
    The book does not recognise that remedy. It suspects the bug doesn't either.
}
-> DONE

=== event_regressed ===
~ temp kind = fix_kind()
The week did not hold. SUnreclaim is at {sunreclaim_mb()} MB.
{ kind:
- "kernel":
    The running kernel is {kernel_release()}. Installing a kernel is not booting it, and not every kernel package carries the fix. Check both.
- "nsd":
    The running NSD is {nsd_version()}. Is that really 4.1.0 or later, and was the old process stopped? A new binary on disk changes nothing for a process started before it.
- "restarts":
    The restarts are too far apart, or they are not full restarts. A reload is just one more generation; only stopping every nsd process frees the chain, and it has to happen before the chain fills the machine.
- else:
    Whatever changed, it was not the thing that feeds the leak.
}
Reopening. It's the bug's fault, but it's our problem. # speaker: Kwame
-> DONE


// ---------------------------------------------------------------------------------------------
// After solving.

=== debrief ===
~ temp kind = fix_kind()
~ temp days = days_to_solve()
~ temp spells = spells_cast()
~ temp asked = hints_used()
~ temp kills = oom_kills_seen()
The book closes most of the way, then falls open again at the end of the chapter, where a debrief has written itself in your handwriting.
What happened, in order. # heading
Every change in service discovery became a zone transfer to {hostname()}, and every zone transfer made NSD reload.
NSD {incident_nsd_version()} reloads by forking. The child loads the new zones and becomes the new main process; the parent, the old main, exits. After every reload, the main process is the child of the one before it.
When a process forks, parent and child share their private memory copy-on-write, and the kernel must be able to trace every anonymous page back to every process that might map it, so that it can reclaim or move that page later. That is reverse mapping, and anon_vma is how it works for anonymous memory: a region gets its first anon_vma when it first faults in an anonymous page, and at fork each of the child's regions gets an anon_vma of its own, with an anon_vma_chain link to that anon_vma and to every one above it.
On kernel {incident_kernel_release()}, an ancestor's anon_vma lived as long as anything below it was still linked to it. Each nsd generation added a level and none was ever freed, so the hierarchy grew one level per reload, for every memory region of every nsd process.
All of it sat in slab caches the kernel cannot reclaim. SUnreclaim rose until the machine ran out of memory; while you watched, it peaked at {peak_sunreclaim_mb()} MB.
The OOM killer ranks processes by what they hold: resident memory, swap entries, page tables. Slab is charged to no process, so it went after the biggest one it could see, nsd, and this kernel, given the choice, kills one of the victim's children instead. NSD forked a replacement, the replacement needed a fresh set of chain links, and the cycle went round again. Each kill was a window of failed lookups.
Only a full restart, every nsd process gone at once, let the kernel free the whole hierarchy. That is why restarting "fixed" it, for a while, and why nobody could say why.
The fix you chose. # heading
{ kind:
- "kernel":
    You booted a kernel with the fix. That is the strongest answer: it repairs the mechanism itself, for nsd and for any other program that keeps handing itself over to a forked child, and the reboot threw away the old hierarchy with everything else. The costs are a reboot window and a habit worth keeping: take a maintained kernel rather than a single patch, because the new logic needed follow-up fixes of its own in early 2015.
- "nsd":
    You upgraded NSD. That is a strong answer, and often the quicker one: from 4.1.0 the parent does the reload and stays main, and the forked child is the one that retires, so the process tree never grows deeper than one generation. The kernel bug is still there, though, waiting for the next program that replaces itself with its own child without calling exec. Put the kernel on the list for the next maintenance window.
- "restarts":
    You scheduled full restarts. That is the weakest answer that still works: each restart ends the hierarchy, so the leak is bounded by however many reloads fit between two restarts. It holds only while the schedule outruns the leak; every restart drops queries for a moment while resolvers fail over; and it hides the cause from the next engineer, who will find a timer and no reason. Keep it as a bandage while the kernel or NSD gets fixed.
- else:
    The book cannot tell which fix you chose. It has opinions anyway: a fixed kernel is best, a newer NSD nearly as good, scheduled restarts only a bandage.
}
The kernel side. # heading
Daniel Forrest reported it to the linux-mm list in 2012, under the subject "Repeated fork() causes SLAB to grow without bound". Rik van Riel explained it in the thread: every fork adds a level to the anon_vma hierarchy, and a process that keeps handing over to its child while the parent exits builds a stack that never ends.
Konstantin Khlebnikov's commit 7a3ef208e662, "mm: prevent endless growth of anon_vma hierarchy", first released in Linux 3.19, fixed it by counting, for each anon_vma, how many memory regions and child anon_vmas still use it. At fork, if an ancestor's anon_vma is used by no live region and has at most one child, the new region reuses it instead of stacking another level. Since then there are at most twice as many anon_vmas as memory regions, however many generations pass.
The patch was marked for the stable trees, but in January 2015 it was held out of the stable series this box's kernel follows, so that spring the fix meant Linux 3.19 itself. For any distribution kernel, read its changelog, not just its version number.
The NSD side. # heading
NLnet Labs had worked around it from their end months before the kernel fix landed: NSD 4.1.0, released in September 2014, turned the reload inside out (the change is commit 9172b803). The parent now does the reload and stays main; the forked child takes over the old main's work and exits when it is done. No chain of generations, nothing for the kernel to hoard.
The tempting wrong fixes, and why they fail: drop_caches frees only reclaimable caches, and this slab is not reclaimable. Setting nsd's oom_score_adj so it can never be chosen sends the killer after sshd or your monitoring, or lets it panic the machine. Swap and more memory only move the date of the next OOM. A single restart resets the clock, and the next zone transfer starts it again.
What to read next. # heading
The linux-mm thread "Repeated fork() causes SLAB to grow without bound", for the diagnosis as it happened.
Commit 7a3ef208e662 in the kernel tree, for the fix and its reasoning in its author's words.
NSD's ChangeLog for 4.1.0, where the reload change is explained in a few lines.
The proc(5) manual page, on /proc/meminfo (Slab, SReclaimable, SUnreclaim) and /proc/slabinfo.
Operating Systems: Three Easy Pieces, by Remzi and Andrea Arpaci-Dusseau: the chapter on the process API, for fork() itself, and the one on free-space management, which introduces slab allocation. A real textbook, and as far as anyone knows, not a cursed one.
Your numbers. # heading
You solved it in {days} virtual {plural(days, "day", "days")}, with {spells} {plural(spells, "spell", "spells")} cast and {asked} {plural(asked, "hint", "hints")} asked for. The OOM killer struck {kills} {plural(kills, "time", "times")} while you were on the box, and SUnreclaim peaked at {peak_sunreclaim_mb()} MB.
{
- asked == 0:
    You never asked the book for help. It noticed. It is not sure it approves.
- asked >= HINT_LEVELS:
    The book gave you everything it had. It will want something back, in a later chapter.
- else:
    The book took note of every hint. It keeps accounts.
}
The chapter ends. The next page is blank, for now.
-> DONE
