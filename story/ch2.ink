// Chapter 2 of the grimoire: "fiNAGLEing".
//
// The words only. The loopback TCP simulation is the source of truth: this story reads it solely
// through the EXTERNAL functions below and never prints system output, or any number of this
// world it did not get from one of them. Constants that are general knowledge (Linux's 40 ms
// delayed-ACK floor, BSD's 200 ms) are facts about kernels, not about this machine. The contract
// (knots, externals, variables, speakers, commands) is engine/chapters/ch2/storyContract.ts; the
// runner is engine/story/inkRunner.ts.
//
// Conventions (the same as Chapter 1)
// - Dialogue lines end with "# speaker: NAME" (Tomasz, Imani). Untagged lines are the grimoire's
//   own narration. "# heading" marks a section heading inside a long knot (the debrief).
// - Every knot the engine runs ends with -> DONE, which hands control back to the shell.
// - Commands the player might type are written in `backticks`; test/story checks them against
//   STORY_COMMANDS in the contract, so add new ones there. "//" inside a URL must be written "\/\/".

INCLUDE _common.ink

EXTERNAL found(clue_id)
EXTERNAL fix_kind()
EXTERNAL wrong_fix_kind()
EXTERNAL hints_used()
EXTERNAL spells_cast()
EXTERNAL hostname()
EXTERNAL p50_ms()
EXTERNAL p99_ms()
EXTERNAL publishes_seen()
EXTERNAL delack_ms()
EXTERNAL minutes_to_solve()

CONST HINT_LEVELS = 6

// Set by the engine before it runs `hints`: 1 for the first hint, then 2, 3 ... HINT_LEVELS.
VAR hint_level = 0

// The engine always enters through a named knot.
-> DONE


// ---------------------------------------------------------------------------------------------
// The book opens.

=== briefing ===
The book falls open further along than you left it, as if it had been reading ahead without you.
Chapter Two. The heading says fiNAGLEing, and underneath, in smaller and more embarrassed letters, someone has apologised for the pun.
Before you can decide whether to accept the apology, your laptop chimes.
hey, you around? publishing to nsqd takes {p50_ms()} ms. every time. nsqd is on the same box. localhost!! # speaker: Tomasz
You are the engineer people message when the network does something it shouldn't. Tonight that is {hostname()}, where Tomasz's publisher app hands every event to an nsqd on the same machine, one small HTTP request at a time.
Nothing is down. Nothing is even busy. Every publish is just slow, and slow by the same amount every time.
Type real commands at the prompt as on any Linux box: `help` lists what you know, `hint` asks the book, `talk` finds Tomasz or Imani, `status` shows what done looks like, and `journal` keeps what you have learned.
-> DONE


// ---------------------------------------------------------------------------------------------
// Colleagues. `talk` opens a menu of people; each conversation ends back at the shell.

=== talk ===
{ stopping:
- Two people are still awake in the channel, which at this hour counts as a quorum.
- Tomasz and Imani are still in the channel.
}
+ [Tomasz, who wrote the publisher app] -> talk_tomasz
+ [Imani, who runs nsqd and the rest of the messaging platform] -> talk_imani
+ [Nobody. Back to the shell.]
    {&The channel goes back to its typing indicators.|The book rustles, unimpressed.|Back to the prompt.}
    -> DONE

=== talk_tomasz ===
{ talk_tomasz == 1:
    Tomasz has the publisher's code in one window and its latency graph in the other, and is glaring at the graph as if it had said something rude.
    The app's fine. I've read every line of it twice tonight. It's the boring bit in the middle; it has never once been interesting. # speaker: Tomasz
- else:
    {&Tomasz looks up from the graph.|Tomasz is rereading his own code, suspiciously.|Tomasz types "one sec", and means it.}
}
-> topics

= topics
* [What does the publisher do?]
    It takes events from the web side, wraps each one up as a message and posts it to nsqd. nsqd hands it on to whoever reads that topic: billing, search, the audit trail. # speaker: Tomasz
    Nobody notices it when it works. I've always liked that about it. # speaker: Tomasz
    -> topics
* [How does it talk to nsqd?]
    Plain HTTP: one POST to nsqd's /pub endpoint per message, through Ruby's own Net::HTTP. Nothing exotic. # speaker: Tomasz
    And before you ask, it doesn't connect per message. There's a pool: a keep-alive connection, opened once and reused for every publish. No handshakes, no slow start, nothing wasted. # speaker: Tomasz
    I'm quite proud of the pool. # speaker: Tomasz
    -> topics
* {not found("latency_measured")} [How slow is it, exactly?]
    See for yourself. The log has every publish and how long it took, and `time publish "hello"` sends one through the app's own client and the same pooled connection as real traffic. # speaker: Tomasz
    -> topics
* {found("latency_measured") and fix_kind() == "none"} [Every publish takes almost exactly the same time. Doesn't that seem odd?]
    Median {p50_ms()} ms, and the slowest one in a hundred {p99_ms()} ms. Huh. # speaker: Tomasz
    When things are overloaded they're slow by different amounts: a bit, then a lot, then a bit. This is slow like a metronome. # speaker: Tomasz
    I assumed nsqd was doing something expensive with each message. Expensive things aren't usually this punctual. # speaker: Tomasz
    -> topics
* [Could it be garbage collection?]
    It's Ruby, so that was my first suspect too. I turned on GC stats. Nothing that long, and nothing on every request. # speaker: Tomasz
    If anything is collecting garbage on a schedule, my money's on nsqd. Go has a garbage collector as well, you know. # speaker: Tomasz
    -> topics
* [Would more connections in the pool help?]
    Maybe! pool_size is one line in /etc/publisher/publisher.yml. More lanes, more traffic. Want me to bump it? # speaker: Tomasz
    He says it the way people say "add another server".
    -> topics
* {found("fresh_fast")} [The first publishes on a new connection are fast. Then they slow down.]
    So a connection gets tired? That's not a thing. Is it a thing? # speaker: Tomasz
    I always put the quick first one down to the pool warming up. But warm is supposed to be the fast one. This is backwards. # speaker: Tomasz
    -> topics
* {found("curl_fast")} [curl posts to the same URL and gets its answer almost at once.]
    curl is C and the app is Ruby. Of course it's faster. # speaker: Tomasz
    He hesitates.
    Not that much faster, though. Building the request takes microseconds; I've profiled it. Same daemon, same port, same bytes. What is curl doing that I'm not? # speaker: Tomasz
    -> topics
* {found("strace_read_waits")} [Both writes return at once. All the time goes in the read.]
    There you go: we send, then we sit there waiting for nsqd to answer. That's nsqd being slow. # speaker: Tomasz
    { found("tcpdump_ack_gap") or found("ss_notsent"):
        Unless nsqd can't answer yet, because the request hasn't all arrived. You're telling me a write can return before the bytes have left? # speaker: Tomasz
    - else:
        Unless the request isn't all there yet. Can you see what actually goes over the wire? # speaker: Tomasz
    }
    -> topics
* {found("two_writes")} [Net::HTTP writes the headers and the body separately.]
    Does it? Fine: two writes instead of one. Two copies into a socket buffer. That can't cost anything you'd notice. # speaker: Tomasz
    { found("tcpdump_ack_gap") or found("ss_notsent"):
        He reads what you pasted him, twice.
        Oh. The second one doesn't go until the first one's been acknowledged. And the acknowledgement takes its time. # speaker: Tomasz
    }
    There are two options in the README that I added after a conference talk and never turned on: tcp_nodelay and single_write. I filed them under micro-optimisations. # speaker: Tomasz
    -> topics
* {fix_kind() != "none"} [The fix is in.]
    { fix_kind():
    - "nodelay_live":
        You flipped an option on the live socket? Cheeky. And gone the moment the app restarts or the pool reconnects, I assume. Put it in the config and I'll stop worrying. # speaker: Tomasz
    - "route_quickack":
        So nsqd's side acknowledges everything straight away now, and my app is still doing whatever it was doing wrong. I'd rather fix my own client, thanks. # speaker: Tomasz
    - else:
        Then let's watch a thousand publishes and a restart. If they stay fast, I owe you a coffee, and Net::HTTP owes me an apology. # speaker: Tomasz
    }
    -> topics
+ [Thanks. Back to the shell.]
    {&Shout if you find anything.|I'll be here, glaring at the graph.|Go get it.} # speaker: Tomasz
    -> DONE

=== talk_imani ===
{ talk_imani == 1:
    Imani runs the messaging platform: nsqd on every box, the consumers behind it, and a dashboard of queue depths that is, tonight, pointedly calm.
    Before you ask: nsqd is fine. I've checked twice. I'll check a third time if it makes you happy. # speaker: Imani
- else:
    {&Imani looks up.|Imani finishes reading a stats page first.|Imani has the nsqd dashboard open, still flat.}
}
-> topics

= topics
* [Is nsqd healthy?]
    It's idle. Its CPU is in the noise, its memory is flat, and nothing is queued. Ask it yourself: `curl -s http:\/\/127.0.0.1:4151/stats`. # speaker: Imani
    If nsqd were the bottleneck, its queues would be deep. They're empty. It takes each message the moment it gets it. # speaker: Imani
    -> topics
* [Could nsqd be pausing for garbage collection?]
    Go's collector does pause, but not on a fixed beat, not on every request, and not with a heap this small. There's nothing in there to collect. # speaker: Imani
    -> topics
* [Should I restart nsqd?]
    You can. Tomasz's app reconnects on its own. # speaker: Imani
    But be clear what you're testing. If things look better afterwards, ask whether it was nsqd that changed, or only the connection. # speaker: Imani
    -> topics
* [Should nsqd set TCP_NODELAY?]
    It already does. Go sets it on every TCP connection unless you ask it not to, accepted ones included. # speaker: Imani
    And nsqd writes each reply in one go anyway. Whatever is being held back here, nsqd isn't the one holding it. # speaker: Imani
    -> topics
* {found("daemon_idle")} [nsqd really is idle, and publishes still take forever.]
    Then nsqd isn't waiting on anything of its own. Something between the two processes is doing the waiting. # speaker: Imani
    Two processes on one machine. The only thing in between is the kernel. # speaker: Imani
    -> topics
* {found("curl_fast")} [curl to nsqd is fast. Only the app is slow.]
    Told you it wasn't nsqd. # speaker: Imani
    Sorry, that was smug. But it rings a bell. There was a blog post a while back: a payments company, Ruby, every POST to one of their services slower by two hundred milliseconds, and curl fast the whole time. # speaker: Imani
    The fix was a socket option, I think. Or something about the request going out in two pieces. I remember the two hundred because it was so round. Round numbers are usually timers. # speaker: Imani
    -> topics
* {found("tcpdump_ack_gap") or found("ss_notsent")} [nsqd's side sends a bare ACK, late, and only then does the body arrive.]
    nsqd doesn't write ACKs. Nothing in user space does. That's the kernel on nsqd's side deciding when to acknowledge. # speaker: Imani
    It holds the ACK back, hoping to tuck it into a reply. But nsqd can't reply: it has the headers and is waiting for the body. And the body is waiting for the ACK. # speaker: Imani
    Two very polite people in a doorway. # speaker: Imani
    -> topics
* {found("tcpdump_ack_gap") or found("ss_notsent")} [Can't we make nsqd's side acknowledge straight away?]
    On Linux there's TCP_QUICKACK. Read the manual closely before you get attached: it isn't a setting, it's a nudge, and the kernel goes back to its own judgement soon after. # speaker: Imani
    There's a per-route version in `ip route` that does stick. But it changes every connection over loopback, not just ours, and the client still sends its request in two pieces. I'd rather fix the thing that's odd than the thing that's normal. # speaker: Imani
    -> topics
* {fix_kind() != "none"} [The fix is in.]
    { fix_kind():
    - "route_quickack":
        It works, and I'll live with it tonight. Tomorrow the client gets fixed and the route goes back to normal. Write down why it's there, or someone will find it in a year and be very confused. # speaker: Imani
    - else:
        Good. Now make it survive a restart. A fix that disappears with the process was a demo. # speaker: Imani
    }
    -> topics
+ [That's all for now.]
    {&I'll be here. So will nsqd, idling.|Ping me if you want more stats.|Go on, then.} # speaker: Imani
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
- 0: Before guessing, measure. How long does one publish take, and is it the same every time?
- 1: A publish is a conversation between two processes. Is the one doing the answering actually busy?
- 2: nsqd is idle, so the slowness lives in how the app reaches it. Does every way of sending nsqd a message take as long?
- 3: Some publishes are fast and most are not. Where does a slow one spend its time: sending the request, or waiting for the answer?
- 4: The app finishes writing at once and then waits. Has the whole request actually left? Watch the packets, not the app.
- 5: You have seen part of the request held back until an acknowledgement arrives. What is it about the way the app writes that lets the kernel hold it?
- else: You have the whole story. What would make it stop for good, even after the app restarts?
}
-> DONE

= level_2
{ hint_stage():
- 0: `time publish "hello"` times one publish through the app's own client and pooled connection. The app's log (`tail /var/log/publisher/publisher.log`) records every publish, and `graph publish-latency` draws them.
- 1: `top` and `ps aux` show what nsqd costs the machine; `curl -s http:\/\/127.0.0.1:4151/stats` shows what it is holding.
- 2: Send nsqd a message yourself and time it: `time curl -s -d hello 'http:\/\/127.0.0.1:4151/pub?topic=events'`. Then restart the app with `sudo service publisher restart` and look at the first few publishes after it.
- 3: Find the app's process (`pgrep -f publisher`) and watch its system calls with `sudo strace -tt -T -p PID`: -T prints how long each call took.
- 4: `sudo tcpdump -i lo -n port 4151 -c 20` shows every segment with its time. `ss -tin` shows both ends of the connection from inside the kernel: what is queued, what is unacknowledged, and how long each side waits before it acknowledges.
- 5: Count the writes per publish in the strace, then read how the app can send instead: `cat /srv/publisher/README` and `cat /etc/publisher/publisher.yml`.
- else: Ask Tomasz about the options in his README, then make the change where the app will read it every time it starts.
}
-> DONE

= level_3
{ hint_stage():
- 0: A system under load is slow unevenly. If every publish takes the same time, look for a timer rather than a bottleneck.
- 1: If the side doing the answering is idle, the time is being spent waiting, not working. Something is waiting for something.
- 2: A fresh connection is fast and a reused one is slow; the same request from curl is fast and from the app is slow. Both differences are about how bytes are handed to TCP, not about nsqd.
- 3: write() returns as soon as the kernel has copied your bytes, not when they have been sent. A fast write followed by a slow read can mean the request never finished leaving.
- 4: TCP does not always acknowledge at once, and a sender may hold a small piece of data until an earlier one is acknowledged. Look for two polite rules each waiting for the other.
- 5: Nagle's algorithm holds a small segment while an earlier small segment is unacknowledged. One write makes one segment; two writes make two.
- else: A change to a running process lasts as long as its socket. A fix for good lives where the app reads its settings when it starts.
}
-> DONE

= level_4
The request leaves in two small writes: the headers, then the body. The headers go at once. The body waits, because Nagle's algorithm will not send a second small segment while the first is still unacknowledged.
At nsqd's end of the connection, TCP delays its acknowledgement, hoping to send it along with nsqd's answer. nsqd cannot answer until the body arrives. Each side waits for the other until the delayed-ACK timer gives up and a bare ACK goes out alone.
{ not (found("tcpdump_ack_gap") or found("ss_notsent")):
    See it for yourself with `sudo tcpdump -i lo -n port 4151 -c 20`: find the gap before the bare ACK. (`tcpdump -w` saves a capture, and `download` brings it to your own machine for Wireshark.)
}
-> DONE

= level_5
On a new connection, Linux acknowledges the first segments straight away: a handful of quick ACKs to get things moving. Once the connection settles into request and answer, it switches to delaying its ACKs, so every publish after the first one or two pays the timer. That is why a fresh connection is briefly fast, and why curl, which writes its whole small request in one go, is always fast.
There are two cures, both on the sending side: turn Nagle off for the app's socket (TCP_NODELAY), or send each request in one write.
{ fix_kind() == "none":
    Try the first one live with `setsockopt NODELAY`, and watch `graph publish-latency` drop.
}
{ not found("two_writes"):
    And confirm the two writes in the app itself: `sudo strace -tt -T -p PID` shows them, one after the other.
}
-> DONE

= level_6
The answer, plainly: this Ruby's Net::HTTP writes each POST as headers, then body, and sets no TCP_NODELAY. Nagle holds the body until nsqd's end of the connection acknowledges the headers, and that end delays its ACK until the timer fires. Every publish on the kept-alive connection pays the delayed-ACK timeout.
Prove it live with `setsockopt NODELAY`, which sets TCP_NODELAY on the app's open socket. The graph drops at once, and rises again the moment the app restarts.
Then make it permanent: add the line tcp_nodelay: true (or single_write: true) to /etc/publisher/publisher.yml, for instance with `echo 'tcp_nodelay: true' \| sudo tee -a /etc/publisher/publisher.yml`, run `sudo service publisher restart`, and watch a thousand publishes stay under a millisecond with `graph publish-latency`.
Don't bother with TCP_QUICKACK or TCP_NODELAY on nsqd, restarts of either side, a bigger pool or more CPU. A quickack route works, but fixes the wrong end.
-> DONE


// How far along the trail the player is: the index of the first step not yet found.
=== function hint_stage() ===
{
- not found("latency_measured"):
    ~ return 0
- not found("daemon_idle"):
    ~ return 1
- not (found("curl_fast") or found("fresh_fast")):
    ~ return 2
- not (found("strace_read_waits") or found("tcpdump_ack_gap") or found("ss_notsent")):
    ~ return 3
- not (found("tcpdump_ack_gap") or found("ss_notsent")):
    ~ return 4
- not found("two_writes"):
    ~ return 5
- else:
    ~ return 6
}


// ---------------------------------------------------------------------------------------------
// Reactions to clues, one short knot per clue id (run once, when the clue is first found).

=== clue_latency_measured ===
Every publish, nearly the same: the median is {p50_ms()} ms, and the slowest one in a hundred takes {p99_ms()} ms.
Load makes things slow unevenly. This is slow the way a clock is punctual. The book writes the word "timer" in the margin, lightly, in pencil.
-> DONE

=== clue_daemon_idle ===
nsqd is barely awake: next to no CPU, steady memory, nothing queued. Every message is handed on the moment it arrives.
Told you. nsqd is bored. # speaker: Imani
If the side doing the answering is idle, the time is going somewhere between the asking and the answering.
-> DONE

=== clue_curl_fast ===
curl sends nsqd the same kind of message, and the answer is back before you have let go of the Enter key.
curl is C. It's allowed to be fast. # speaker: Tomasz
Same daemon, same port, same machine. Whatever is slow belongs to how the app sends, not to what it sends to.
-> DONE

=== clue_fresh_fast ===
On a fresh connection, the first publishes are quick. Within a request or two the old rhythm is back, as if it had only stepped out.
A connection that starts fast and turns slow is remembering something. The book underlines "remembering", and then, after a moment, "connection".
-> DONE

=== clue_strace_read_waits ===
Both write() calls return at once: the kernel has taken the bytes. Then the read sits, and that is where the whole publish goes.
See? We ask, and nsqd takes its time answering. # speaker: Tomasz
From inside the app it looks exactly like a slow server. But a write that has returned has been accepted, not necessarily sent.
-> DONE

=== clue_tcpdump_ack_gap ===
The headers go out. Then nothing. Then nsqd's side sends a bare ACK, with no data in it, about {delack_ms()} ms later, and the body leaves within microseconds of it.
The body was waiting for that ACK. And the ACK was waiting for what, exactly?
-> DONE

=== clue_ss_notsent ===
On the app's end of the connection, the body sits in the send queue behind one unacknowledged segment. On nsqd's end, the delayed-ACK timeout reads {delack_ms()} ms.
The body is not lost and not slow. It is sitting in the kernel, waiting for permission to leave.
-> DONE

=== clue_two_writes ===
There it is: Net::HTTP writes the headers, and then, in a second call, the body. Two small writes for one small request.
Two writes or one, it's the same bytes. # speaker: Tomasz
The same bytes, yes. Not the same segments.
-> DONE


// ---------------------------------------------------------------------------------------------
// Events the engine raises.

=== event_fix_applied ===
~ temp kind = fix_kind()
{ kind:
- "nodelay_live":
    You have set TCP_NODELAY on the publisher's open connection, and the next publishes go straight through: the body no longer waits for anything.
    That's it? One flag? # speaker: Tomasz
    It lives on that one socket. When the app restarts or the pool reconnects, the new socket starts with Nagle on again. Make it permanent where the app reads its settings.
- "nodelay_config":
    The publisher came back up with tcp_nodelay set, and every connection it opens now turns Nagle off before it sends a byte.
    Config, restart, done. I'll believe it when the graph has been flat for a while. # speaker: Tomasz
- "single_write":
    The publisher came back up building each request in one buffer: one write, one segment, nothing for Nagle to hold.
    So curl was right all along. Don't tell curl. # speaker: Tomasz
- "route_quickack":
    You have told the kernel to acknowledge at once on the loopback route. nsqd's side now ACKs the headers immediately, and the body follows them out.
    It works. It also changes every connection on loopback, not just ours. I want the client fixed too. # speaker: Imani
- else:
    Something changed on {hostname()}. The book waits to see whether the timer notices.
}
Now the proof: a thousand publishes under a millisecond, and an app restart that does not bring the stall back.
-> DONE

=== event_wrong_fix ===
~ temp kind = wrong_fix_kind()
{ kind:
- "quickack_once":
    Nothing much changes: at best one publish slips through quickly, and the rest crawl as before. TCP_QUICKACK is not a setting but a nudge: it takes nsqd's socket out of request-and-answer mode once, and the kernel puts it straight back as soon as nsqd answers promptly again.
    To keep it you would have to set it after every read, inside nsqd's own code. And it would still be fixing the end that isn't odd.
- "server_nodelay":
    Nothing changes, because nsqd was never holding anything back. TCP_NODELAY governs when a socket sends its own data; nsqd's replies already go out whole, and Go had switched Nagle off on that socket anyway.
    What waits on nsqd's side is an acknowledgement, and NODELAY has no say over acknowledgements.
- "nsqd_restart":
    nsqd restarted, the pool reconnected, and the first publish or two were quick. Then the stall was back.
    Nothing about nsqd changed. The new connection started with a handful of quick ACKs, spent them, settled into request and answer, and went back to delaying its ACKs. A fresh connection is fast only until it is no longer fresh.
    Write that down, though. It's a clue. # speaker: Imani
- "app_restart":
    The app restarted, opened a new connection, and the first publish or two were quick. Then the stall was back.
    A new connection gets a handful of quick ACKs, and spends them; once it is trading requests and answers, the ACKs are delayed again. The restart changed the connection, not the way the app writes to it.
- "pool_size":
    More connections, and every one of them exactly as slow. Each still sends its headers and body in two writes, and each waits the same delayed-ACK timeout for permission to send the body.
    You have bought more lanes, not a faster road. More publishes per second, and every one of them still late. # speaker: Imani
- "more_cpu":
    More CPU for a machine that was already idle. The stall is a timer, and timers do not run faster on more cores.
- else:
    The book does not recognise that remedy. It suspects the timer doesn't either.
}
-> DONE

=== event_regressed ===
~ temp kind = fix_kind()
The stall is back: every publish is waiting out nsqd's {delack_ms()} ms delayed-ACK timeout again.
{
- kind == "nodelay_live":
    The app restarted and opened a new socket, and a new socket starts with Nagle on. The option you set belonged to the old one, and the old one is gone. Put tcp_nodelay in the app's config so that every new connection gets it.
- kind == "nodelay_config" or kind == "single_write":
    The config says so, but is the running app the one that read it? Check that it was restarted after the edit, and that the option is spelled the way the README spells it.
- kind == "route_quickack":
    The quickack route is gone or was replaced; `ip route` will tell you. A route changed by hand lasts only until the route is rebuilt.
- else:
    Whatever changed, it did not change how the request is sent.
}
I'm reopening the ticket. Nothing personal. # speaker: Tomasz
-> DONE


// ---------------------------------------------------------------------------------------------
// After solving.

=== debrief ===
~ temp kind = fix_kind()
~ temp minutes = minutes_to_solve()
~ temp spells = spells_cast()
~ temp asked = hints_used()
~ temp seen = publishes_seen()
The book closes, then falls open again at the end of the chapter, where a debrief has written itself in your handwriting. The letters are evenly spaced, with no gaps between them. The book seems pleased about that.
What happened. # heading
The publisher app sent every event to nsqd, on the same machine, as an HTTP POST over a single kept-alive connection that its pool reused for everything.
The Net::HTTP in the Ruby this box runs wrote each POST in two write() calls: the headers first, then the body. Both were tiny, far smaller than a segment can be on loopback.
The headers left at once. The body did not: TCP kept it in the app's socket, because the headers had not been acknowledged yet. At nsqd's end of the connection, TCP had received the headers and was not acknowledging them either, because it was waiting for nsqd to reply so that the ACK could travel with the answer. And nsqd could not answer a request whose body had not arrived.
So each side waited for the other, until the delayed-ACK timer on nsqd's side gave up and sent a bare ACK, {delack_ms()} ms later on this kernel. The body left microseconds after it, nsqd answered at once, and the next publish began the same dance.
Nothing was busy. nsqd was idle, the CPUs were idle, and the network was a loop inside one kernel. Every publish took as long as a timer, because every publish was waiting for one.
The fix you chose. # heading
{ kind:
- "nodelay_config":
    You turned on tcp_nodelay in the app's config and restarted it, so Net::HTTP now sets TCP_NODELAY on every connection it opens. That is the standard answer, and the one most HTTP clients have since made their default: a request-and-answer protocol gains nothing from Nagle, because the application already knows when it has finished a message. The body still travels as its own small segment, one extra packet per publish, which on loopback costs nothing worth counting.
- "single_write":
    You had the app build each request in one buffer and write it once. That is the most complete answer: one write makes one segment, Nagle has nothing to hold, and fewer packets cross the wire than with any other fix. It is what curl was doing all along. Nagle stays on for anything else the app writes, which is how it was meant to be used; turning on TCP_NODELAY as well would cost nothing and would guard against the next library that splits a write.
- "route_quickack":
    You set quickack on the loopback route, so every receiver on loopback, nsqd included, acknowledges at once and the held body is released straight away. It works, and it survives an app restart, but it is a workaround on the receiving side. It changes how every connection over loopback acknowledges, sending more bare ACKs for all of them; it lasts only until the route is rebuilt, at the next reboot unless it goes into the network configuration; and the client still sends each request in two pieces, ready to stall against the next server that delays its ACKs. Fix the client when you can, and leave a note by the route saying why it is there.
- "nodelay_live":
    You set TCP_NODELAY on the live socket. It is the right option on the right side, and the quickest way to prove the theory, but it lives exactly as long as that socket: the next restart or reconnect brings the stall back. Put it in the config before a deploy does the restart for you.
- else:
    The book cannot tell which fix you chose. Its own order of preference: one write per request, or TCP_NODELAY on the client, made permanent in its config; a quickack route only as a stopgap.
}
The mechanism, in plain words. # heading
Nagle's algorithm, which John Nagle described in RFC 896 in 1984, was written for terminals that sent a keystroke at a time across congested networks. Its rule: while anything you sent is still unacknowledged, keep further small pieces back, and send them together when the ACK returns. Linux applies a refinement from Greg Minshall: only an unacknowledged small segment holds the next one back, so a full-sized segment in flight never delays anything. Here both pieces of the request were small, so the second waited for the first.
Delayed ACK is the receiver's economy: do not acknowledge at once; wait a little, in case there is a reply the ACK can ride on. Each side's rule is sensible on its own. Together, on a request that arrives in two small pieces, they wait for each other.
Linux adds two refinements of its own. A new connection gets a handful of quick ACKs, credits spent one per acknowledgement, so that a connection is never slow to get going. And once this host starts answering what it receives within the ACK timeout, Linux treats the connection as interactive, a pingpong, and delays its ACKs so that they can ride on the answers.
That is why the first publish on a fresh connection was fast: nsqd's end was still acknowledging everything at once. Within a request or two the credits were spent, the connection was a pingpong, and every publish waited on the timer. Restarting either side only handed out a new set of credits.
And that is why curl was fast: it put the headers and its small body into one buffer and wrote them once. One segment, nothing for Nagle to hold, and an answer that carried the ACK home with it.
The pattern that stalls is write, write, wait for an answer. A reply that goes straight back, bulk sends that fill whole segments, and a send followed by a close all go through without waiting.
Why Linux says 40 ms and BSD says 200 ms. # heading
The standard sets only an upper bound: RFC 1122 lets a receiver delay an ACK, but never by as much as half a second. The rest is each stack's choice.
BSD sent its pending delayed ACKs from a timer that ticked five times a second, so an ACK could wait up to 200 ms. That figure travelled on to BSD's descendants, and Windows settled on the same one. It is the number in the blog post Imani half remembered, and the one most write-ups of this trap still quote.
Linux works the timeout out per connection, from how fast data has been arriving, and caps it near the round-trip time, but never below its floor of 40 ms (200 ms is its ceiling). On loopback the round trip is microseconds, so the floor is what you get: the ato of {delack_ms()} ms that `ss -tin` shows on nsqd's side.
John Nagle has said that the two mechanisms were designed separately, at about the same time, and that the fixed ACK delay, not his algorithm, is the part he regrets: a delayed ACK is a bet that the application will answer before the timer fires, and TCP goes on placing that bet even when it loses every time.
Who turns Nagle off for you. # heading
Go sets TCP_NODELAY on every TCP connection, dialled or accepted, and has done since before its first stable release in 2012. That is why nsqd's sockets already had it, and why NODELAY on nsqd changed nothing.
Ruby's Net::HTTP began setting it in Ruby 2.1, released at Christmas 2013. The older Ruby this box runs never did, which is why the option had to come from the app.
urllib3, and with it Python's requests, turned Nagle off by default in urllib3 1.8, in 2014. curl itself set no TCP_NODELAY until curl 7.50.2, in 2016; before that it was fast only because of its single write.
The rule of thumb that came out of all this: if you speak request and answer over TCP, write each message in one call, and set TCP_NODELAY anyway.
What to read next. # heading
John Nagle's own comments on Hacker News, in 2015, for the history from the person it is named after, and for his regrets about the ACK timer.
Julia Evans, "Why you should understand (a little) about TCP": a night very much like this one, told from the other chair. The book dates it the twenty-first of November 2015, and is not at all troubled that this machine's calendar has not got there yet.
GoCardless's engineering post about shaving 200 ms off every POST request, the one Imani half remembered: Ruby, HAProxy, and the same two rules.
RFC 896, where Nagle proposed the algorithm, and RFC 1122, whose section 4.2.3.2 sets the limits on delaying an ACK.
The tcp(7) manual page, on TCP_NODELAY, TCP_CORK and TCP_QUICKACK, and on why the last one does not stay set.
Your numbers. # heading
You closed it in {minutes} {plural(minutes, "minute", "minutes")} of the machine's time, with {spells} {plural(spells, "spell", "spells")} cast and {asked} {plural(asked, "hint", "hints")} asked for. The app made {seen} {plural(seen, "publish", "publishes")} while you were on the box. Over the last thousand of them the median is now {p50_ms()} ms, and the slowest one in a hundred takes {p99_ms()} ms.
{
- asked == 0:
    You never asked the book for help. It noticed. It is not sure it approves.
- asked >= HINT_LEVELS:
    The book gave you everything it had. It will want something back, in a later chapter.
- else:
    The book took note of every hint. It keeps accounts.
}
The chapter ends. Somewhere on {hostname()} a delayed-ACK timer fires, and finds that nobody is waiting for it.
-> DONE
