// Chapter 3 of the grimoire: "oints".
//
// The words only. The simulation (the page cache, the EBS volumes and snapshots, the MMAPv1 store,
// mongod replicating as a secondary) is the source of truth: this story reads it solely through
// the EXTERNAL functions below and never prints system output, or any number of this world it did
// not get from one of them. The error text itself (the size, the first element) comes from
// bad_size() and first_element(), which the engine reads off the restored bytes. Facts about real
// software (MongoDB's 60-second flush, the kernel's write-back defaults, what 0xEEEEEEEE is as an
// int32) are general knowledge, not this machine's numbers. The contract (knots, externals,
// variables, speakers, commands) is engine/chapters/ch3/storyContract.ts; the runner is
// engine/story/inkRunner.ts.
//
// Conventions (the same as Chapters 1 and 2)
// - Dialogue lines end with "# speaker: NAME" (Nadia, Owen). Untagged lines are the grimoire's
//   own narration. "# heading" marks a section heading inside a long knot (the debrief).
// - Every knot the engine runs ends with -> DONE, which hands control back to the shell.
// - Commands the player might type are written in `backticks`; test/story checks them against
//   STORY_COMMANDS in the contract, so add new ones there. "//" inside a URL must be written "\/\/",
//   and "|" inside a command "\|".

INCLUDE _common.ink

EXTERNAL found(clue_id)
EXTERNAL fix_kind()
EXTERNAL wrong_fix_kind()
EXTERNAL hints_used()
EXTERNAL spells_cast()
EXTERNAL hostname()
EXTERNAL lag_seconds()
EXTERNAL oplog_hours()
EXTERNAL clean_nights()
EXTERNAL nights_needed()
EXTERNAL bad_size()
EXTERNAL first_element()
EXTERNAL data_volume()
EXTERNAL last_snapshot()
EXTERNAL minutes_to_solve()

CONST HINT_LEVELS = 6

// Set by the engine before it runs `hints`: 1 for the first hint, then 2, 3 ... HINT_LEVELS.
VAR hint_level = 0

// The engine always enters through a named knot.
-> DONE


// ---------------------------------------------------------------------------------------------
// The book opens.

=== briefing ===
The book opens at Chapter Three on its own, and more slowly than before, as if something inside it had set and it did not want to crack it.
The heading is one word: oints. It looks like a word that has lost its first letter and is too proud to go back for it.
Your phone buzzes before you can decide whether that is a typo or a threat.
morning. are you on {hostname()} yet? # speaker: Nadia
yesterday a cleanup script on the primary ate a day of checkins, so I went to the backups. I restored last night's snapshot of {hostname()}'s data volume, {last_snapshot()}, onto a fresh volume, put it on this box and started a scratch mongod on it to copy the documents back. # speaker: Nadia
{ first_element() != "":
    it won't read. the app's driver and the shell both throw the same exception: an object size of {bad_size()} that "is invalid", and a first element of {first_element()}. # speaker: Nadia
- else:
    it won't read. the app asks for the latest events and gets a driver exception about an invalid object size. the scratch mongod says the same thing from the shell. # speaker: Nadia
}
the whole exception, as the app logged it, is in your home directory: `cat ~/nadia-driver-error.txt` # speaker: Nadia
the snapshot is from the nightly backup, the one that runs fsync first. so either the backups are broken or I am. I'd like to know which before the next one runs. # speaker: Nadia
You keep the database machines alive this quarter. {hostname()} is a secondary: it copies every write from the primary and exists, mostly, so that there is something to take backups of.
Cast spells by typing ordinary commands at the prompt, as on any Linux box. `help` lists what you know, `hint` asks the book, `talk` finds Nadia or Owen, `status` shows what done looks like, and `journal` keeps what you have learned.
-> DONE


// ---------------------------------------------------------------------------------------------
// Colleagues. `talk` opens a menu of people; each conversation ends back at the shell.

=== talk ===
{ stopping:
- Two people in the channel know this box: the one who found the problem, and the one who wrote the backup.
- Nadia and Owen are both still in the channel.
}
+ [Nadia, data platform on-call, who restored the snapshot] -> talk_nadia
+ [Owen, who wrote the backup script] -> talk_owen
+ [Nobody. Back to the shell.]
    {&The channel goes back to its own business.|The book turns a page back, then forward again.|Back to the prompt.}
    -> DONE

=== talk_nadia ===
{ talk_nadia == 1:
    Nadia has a terminal full of half-copied documents and the patience of someone who has already tried the obvious things.
    Ask. I'd rather answer questions than watch that exception again. # speaker: Nadia
- else:
    {&Nadia looks up from her terminal.|Nadia finishes a sentence in another channel first.|Nadia has the exception open in one window, still.}
}
-> topics

= topics
* [What exactly did you restore?]
    Last night's snapshot of the data volume, {last_snapshot()}. I made a new volume from it, attached it to this box, mounted it at /restore, and started a second mongod on it, on its own port, so it can't touch the real one. # speaker: Nadia
    Two things I had to do first: take the stale lock file off, and take off the journal link, because in the copy it still pointed at the live box's /journal. I wasn't having a scratch copy write into the real journal. So it runs with journaling off: `mongod --dbpath /restore/db --port 27018 --nojournal --fork --logpath /var/log/mongodb/restore.log` # speaker: Nadia
    `lsblk` and `mount` will show you where everything is. The live data is on {data_volume()}. # speaker: Nadia
    -> topics
* [What does the error say?]
    { first_element() != "":
        The object it tried to read claims a size of {bad_size()}.{negative(bad_size()): Negative.} And the "first element" it printed is {first_element()}, which makes no sense for any document of ours. # speaker: Nadia
    - else:
        Something about an object size that is invalid. My paste has the read and the copy's answer, word for word: `cat ~/nadia-driver-error.txt`. Or have the copy check itself: `mongo --port 27018 events --eval 'printjson(db.events.validate(true))'` # speaker: Nadia
    }
    I thought at first the driver was at fault. Then the shell said the same thing. # speaker: Nadia
    -> topics
* [Can't you just get the documents from the primary?]
    They're gone from the primary. That's the whole point of a backup. # speaker: Nadia
    I'm getting what I can out of the copy with `mongodump`, and the rest I'll rebuild by hand. That part is my problem. Yours is that every backup we have was taken the same way. # speaker: Nadia
    -> topics
* [Has a restore ever worked?]
    Once, last winter, as a drill, from a snapshot of a test box with nothing writing to it. It came up clean and nobody thought about it again. # speaker: Nadia
    This box is never that quiet. The primary's import lands every night, right around when the backup runs. I don't know if that matters. # speaker: Nadia
    -> topics
* {found("bson_error")} [That size is not a size. Something read the wrong bytes.]
    So the copy isn't lying about being broken. It's reading a length from somewhere that isn't a length. # speaker: Nadia
    Which means the bytes on the disk are wrong, not the code reading them. I'll stop blaming the driver. # speaker: Nadia
    -> topics
* {found("validate_errors")} [validate says the copy is not valid: its pointers lead to things that aren't there.]
    So a pointer was written, and what it points at wasn't. Or the other way round. Either way the halves of one write disagree. # speaker: Nadia
    A running mongod would never leave them like that for long. So the snapshot caught it in the middle of something. # speaker: Nadia
    -> topics
* {found("journal_elsewhere")} [The journal lives on a different volume.]
    That was deliberate. The journal writes constantly and in order, the data files in bursts all over the place; the advice at the time was to give each its own volume so they don't fight over the disk. # speaker: Nadia
    It never crossed my mind that a snapshot of one of them would then be missing the other. # speaker: Nadia
    -> topics
* {found("race_reproduced")} [I took a snapshot under load, without a lock, and it came back torn.]
    On purpose? Good. Then it isn't bad luck, it's a recipe. # speaker: Nadia
    And it means some of our old snapshots are fine and some aren't, and we can't tell which without restoring every one. Brilliant. # speaker: Nadia
    -> topics
* {found("lag_seen")} [While writes are locked, {hostname()} falls behind the primary.]
    It's a secondary. Nobody reads from it; it's there for failover and for backups. A few minutes behind at night is fine. # speaker: Nadia
    Hours is not. The oplog on the primary holds about {oplog_hours()} {plural(oplog_hours(), "hour", "hours")} of writes. Fall further behind than that and the box can't catch up at all: it has to copy everything again from scratch. # speaker: Nadia
    -> topics
* {fix_kind() != "none"} [The fix is in.]
    { fix_kind():
    - "lock_in_script":
        Lock, snapshot, unlock, every night. Keep the time between the lock and the unlock short and I'm happy. # speaker: Nadia
    - else:
        A journal next to the data, so a snapshot catches both at once and the copy recovers like after a power cut. I can live with that. # speaker: Nadia
    }
    I'll believe it after I've restored a few nights and they all come up clean. {clean_nights()} of {nights_needed()} so far. # speaker: Nadia
    -> topics
+ [Thanks. Back to the shell.]
    {&Shout if you need anything restored.|I'll be here, copying documents by hand.|Go on.} # speaker: Nadia
    -> DONE

=== talk_owen ===
{ talk_owen == 1:
    Owen moved to the payments team a year ago, but his name is still at the top of the backup script, and he answers the way people answer about code they were proud of.
    If it's about ebs-backup.sh: it runs fsync before the snapshot. Everything's on disk when the snapshot is taken. It's fine. # speaker: Owen
- else:
    {&Owen looks up.|Owen has the script open in another window now.|Owen types, deletes, and types again.}
}
-> topics

= topics
* [Walk me through ebs-backup.sh.]
    Cron runs it at three every night. It tells mongod to fsync, so everything in memory goes to disk. Then it checks with EC2 that the volume is in a sane state, belt and braces, and asks for a snapshot of it. Every step logs what it said. # speaker: Owen
    Two years, and it's never failed once. Not a single error in the log. # speaker: Owen
    Read it yourself if you like: `cat /etc/cron.d/ebs-backup` for when, `cat /usr/local/bin/ebs-backup.sh` for what, `tail /var/backups/ebs-backup.log` for how it went. Root's own `sudo crontab -l` is the other place jobs like that hide. # speaker: Owen
    -> topics
* [Why fsync first?]
    Because mongod keeps its data files in memory and writes them out when it pleases. If you snapshot the disk without flushing, you get whatever happened to be written. # speaker: Owen
    fsync makes it write everything out, and waits until it's done. So the disk is complete. Then we snapshot it. # speaker: Owen
    -> topics
* [Why not lock writes while the snapshot is taken?]
    The lock stops replication. The box falls behind the primary for as long as it's held. I didn't want a backup to be the thing that makes a secondary lag. # speaker: Owen
    And what would the lock add? fsync already flushes. The lock is just fsync, plus waiting. # speaker: Owen
    -> topics
* [How long does the snapshot call take?]
    A second or two to answer. The snapshot itself takes much longer to finish uploading, but that happens on Amazon's side; the volume is yours again as soon as the call returns. # speaker: Owen
    -> topics
* {found("backup_script")} [The script flushes, but nothing stops the next write.]
    It doesn't need to stop the next write. The snapshot is taken right after the flush. # speaker: Owen
    He pauses.
    Right after. Not at the same moment. How much can happen in a second? # speaker: Owen
    -> topics
* {found("writes_after_fsync")} [Right after the fsync, the dirty pages are back.]
    The flush finished, and replication just kept applying. Of course it did; nothing told it not to. # speaker: Owen
    So fsync isn't a moment where the disk is clean. It's a moment where the disk was clean, and then it carried on. # speaker: Owen
    -> topics
* {found("hexdump_oints")} [The reader landed four bytes before the word "points".]
    Points is a field in every event. So it was reading from inside a document, not at the start of one. # speaker: Owen
    Something told it a record started there. Something that was written after the record it was pointing at. Or before. # speaker: Owen
    -> topics
* {found("race_reproduced")} [A snapshot right after fsync, during the import, came back torn.]
    Owen is quiet for a while.
    So every night for two years it's been a coin toss, and we only ever looked at the coin once. # speaker: Owen
    I thought the fsync was the important half. It was the lock all along. # speaker: Owen
    -> topics
* {fix_kind() != "none"} [The fix is in.]
    { fix_kind():
    - "lock_in_script":
        Lock, snapshot, unlock. Does it unlock if the snapshot call fails? That's the first thing I'd check, now that I check things. # speaker: Owen
    - else:
        The journal on the data volume. So the snapshot doesn't need to be clean; it needs to be recoverable. That's a better idea than mine ever was. # speaker: Owen
    }
    -> topics
+ [That's all for now.]
    {&Let me know what you find. I'd like to know how wrong I was.|I'll be around.|Go on, then.} # speaker: Owen
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
- 0: Before theories, the symptom. What does the restored copy actually say when you ask it for its documents?
- 1: The copy is broken. Then how was it made? Find out what runs every night, and in what order.
- 2: A database keeps its data and its journal. Do they live on the same disk?
- 3: The error describes a document that cannot exist. Where on the disk is the reader standing when it fails, and what is really there?
- 4: fsync finished. Did the writes stop when it did?
- 5: A theory about a race is only a theory until you run the race yourself.
- else: You know why. What would make every night's backup safe, and not just the next one?
}
-> DONE

= level_2
{ hint_stage():
- 0: Nadia pasted the failing read and the copy's answer into `cat ~/nadia-driver-error.txt`. Her scratch mongod is still running on the restored volume, on its own port, so you can ask it again; `tail /var/log/mongodb/mongod.log` shows what the live one has been doing meanwhile.
- 1: Scheduled jobs live in `sudo crontab -l` and in /etc/cron.d; the backup is `cat /etc/cron.d/ebs-backup`, and then the script it runs.
- 2: `ls -l /data/db` shows what the journal directory really is, and `mount`, `df -h` and `lsblk` show which volume is which.
- 3: Ask the copy to check itself: `mongo --port 27018 events --eval 'printjson(db.events.validate(true))'` walks every record and every index key. {bad_size() == "-286331154": `sudo hexdump -C /restore/db/events.0 \| grep -A1 'ee ee ee ee'` finds the size from the error, 0xEEEEEEEE, in the raw bytes, with the row after it: mongod writes that mark on space it has freed.|`sudo hexdump -C /restore/db/events.0` shows the raw bytes, if you want to see what the reader saw.}
- 4: Run an fsync on the live mongod, then watch the page cache straight after: `grep -e Dirty -e Writeback /proc/meminfo`, or `iostat -x 5 3`, or the replication counters in `mongo --quiet --eval 'printjson(db.serverStatus().opcountersRepl)'`. `sysctl vm.dirty_expire_centisecs vm.dirty_writeback_centisecs` says how long the kernel lets a dirty page wait.
- 5: Do what the script does, by hand, while writes are arriving: `mongo --quiet --eval 'printjson(db.adminCommand(\{fsync: 1\}))'`, then at once `aws ec2 create-snapshot --volume-id {data_volume()} --description repro`. Then restore it to a new volume, as Nadia restored hers, and see whether it comes out whole.
- else: Open the script and look at what happens between the flush and the snapshot. Or at where the journal is.
}
-> DONE

= level_3
{ hint_stage():
- 0: A driver exception is a report, not a diagnosis. The database is telling you something about the bytes it found on disk; read them the way it did.
- 1: A backup is only as good as the moment it captures. The script does two things, one after the other. What can happen in between?
- 2: With its journal, a database that loses power mid-write recovers: it replays what it meant to do. A snapshot is a power cut frozen in time. Is the journal in the frozen picture?
- 3: The size and the first element in the error are not a document's: they are whatever bytes the reader found where a document should start, read as if they were a header. Zeros mean nothing was ever written there. Something pointed the reader at that place; check whether what it points at exists.
- 4: The kernel keeps written data in memory and writes it out later, in an order of its own choosing. A flush empties that cache at one instant. The next write fills it again, straight away.
- 5: A snapshot records exactly the blocks on the volume at the instant it is requested. If some blocks of one logical write have reached the volume and others have not, the snapshot keeps half a write. See whether it happens to you.
- else: There are two honest ways out: stop the writes for the moment of the snapshot, or make sure the snapshot carries what it needs to repair itself.
}
-> DONE

= level_4
The backup flushes with fsync and then asks for a snapshot. Between the two, replication keeps applying writes. Each write changes several places at once (the document, the pointers of the records around it, the index), and the kernel writes those pages to the volume whenever it likes.
So at the instant of the snapshot, some of those pages are on the volume and some are only in memory. The snapshot keeps the volume's half. And because the journal lives on another volume, the restored copy has nothing that could put the other half back.
{ not found("race_reproduced"):
    Prove it. The primary's import runs for a few minutes either side of three in the morning; `sleep` until it is under way, then do what the script does: `mongo --quiet --eval 'printjson(db.adminCommand(\{fsync: 1\}))'`, or simply `sync`, and straight after it `aws ec2 create-snapshot --volume-id {data_volume()} --description repro`. `aws ec2 describe-snapshots` shows it finishing, and `aws ec2 create-volume` restores it to a new volume, as Nadia did with hers (`talk nadia` tells how she went on from there). Take several, half a minute apart, while the import runs, and restore them one by one: a race does not lose every time, and it does not win every time either.
}
-> DONE

= level_5
There are two cures. Lock writes around the snapshot: the lock flushes and then holds every write until you unlock, so the volume cannot change under the snapshot. Or put the journal on the data volume, so that every snapshot holds the journal as well and the copy replays it on startup, the way it would after a power cut.
The lock has a price: while it is held, {hostname()} applies nothing and falls behind the primary. The snapshot call returns in a moment, so hold it only for that moment. Fall more than {oplog_hours()} {plural(oplog_hours(), "hour", "hours")} behind and the box goes stale and has to copy everything again.
{ not found("lag_seen"):
    Try it by hand first: `fsyncLock`, then `mongo --eval 'rs.printSlaveReplicationInfo()'` to watch the lag grow, then `fsyncUnlock`.
}
{ fix_kind() == "none":
    Whatever you choose has to happen every night, not once: it belongs in the backup script, or in how mongod is set up.
}
-> DONE

= level_6
The answer, plainly: the nightly script runs fsync and lets writes carry on, so the snapshot races them; with the journal on another volume, nothing repairs the torn write when the copy starts.
Lock in the script. Keep a copy of it first: `cat /usr/local/bin/ebs-backup.sh \| tee /tmp/ebs-backup.sh.orig`. Then add a lock on the line before the snapshot and an unlock on the line after it:
`sudo sed -i '/create-snapshot/i mongo --quiet --eval "printjson(db.fsyncLock())"' /usr/local/bin/ebs-backup.sh`
`sudo sed -i '/create-snapshot/a mongo --quiet --eval "printjson(db.fsyncUnlock())"' /usr/local/bin/ebs-backup.sh`
Read it back with `cat /usr/local/bin/ebs-backup.sh`: fsync, lock, snapshot, unlock. The script does not stop at a failed command, so the unlock runs even if the snapshot call fails; a script that did stop would need a trap on exit to unlock, or one bad night would leave the lock held until the box went stale.
Then let the nights pass with `sleep 1d`, and read `status` each morning: {nights_needed()} nightly {plural(nights_needed(), "backup", "backups")} taken after the change must restore clean, with the lag under a minute.
The other cure, the journal on the data volume, means stopping mongod, replacing the link /data/db/journal with a real directory and starting mongod on it; every snapshot then carries its own journal, at the price of the journal and the data files sharing one volume's I/O. This box's tools do not simulate that surgery on a link, so here the lock is the one to type.
Don't bother with a plain `sync` before the snapshot, a `sudo service mongod restart`, a repair of the torn copy, or locking by hand for one night.
-> DONE


// A stretch of the machine's time, from whole minutes: a chapter that waits for nightly backups
// is solved in days, and "4323 minutes" says nothing. Longer spans drop the smaller units.
=== function span(minutes) ===
~ temp days = minutes / 1440
~ temp hours = (minutes mod 1440) / 60
~ temp mins = minutes mod 60
{
- minutes < 120:
    {minutes} {plural(minutes, "minute", "minutes")}<>
- minutes < 2880 and mins == 0:
    {minutes / 60} hours<>
- minutes < 2880:
    {minutes / 60} hours and {mins} {plural(mins, "minute", "minutes")}<>
- hours == 0:
    {days} days<>
- else:
    {days} days and {hours} {plural(hours, "hour", "hours")}<>
}


// Whether a size the engine read (a decimal string, '' if none) is below zero.
=== function negative(size) ===
~ return size ? "-"


// How far along the trail the player is: the index of the first step not yet found.
=== function hint_stage() ===
{
- not found("bson_error"):
    ~ return 0
- not found("backup_script"):
    ~ return 1
- not found("journal_elsewhere"):
    ~ return 2
- not (found("validate_errors") or found("hexdump_oints")):
    ~ return 3
- not found("writes_after_fsync"):
    ~ return 4
- not found("race_reproduced"):
    ~ return 5
- else:
    ~ return 6
}


// ---------------------------------------------------------------------------------------------
// Reactions to clues, one short knot per clue id (run once, when the clue is first found).

=== clue_bson_error ===
{ bad_size() != "":
    The copy reads an object that says it is {bad_size()} bytes long, and gives up. Its first element, it says, is {first_element()}.
    {
    - bad_size() == "0":
        Zeros, where a document should begin: that part of the file was never written, as far as this copy knows. Yet something pointed the reader at it.
    - negative(bad_size()):
        An object cannot be a negative number of bytes long. Whatever the reader took for a header was something else.
    - else:
        No document in this collection is anything like that size. Whatever the reader took for a header was something else.
    }
- else:
    The copy reads an object whose header makes no sense, and gives up.
}
The database is reading the wrong place on the disk, or the right place with the wrong bytes in it.
-> DONE

=== clue_backup_script ===
Two steps, one after the other: mongod is told to fsync, and then EC2 is told to snapshot the volume. Nothing in between holds the writes back.
It runs fsync. It's fine. # speaker: Owen
The book writes "and then?" in the margin, between the two lines.
-> DONE

=== clue_journal_elsewhere ===
/data/db/journal is not a directory on the data volume. It is a link to another volume altogether.
The journal is how mongod repairs a write it was halfway through when the power went. A snapshot of the data volume alone leaves that repair kit behind.
-> DONE

=== clue_hexdump_oints ===
There it is in the bytes: four of them each 0xee, and straight after them the letters p, o, i, n, t, s.
Read as a little-endian signed int32, 0xEEEEEEEE is -286331154: the "size". The next byte is 0x70, which as a type code is 112 and as a letter is p. What is left, the name the reader printed, is "oints".
The reader was standing four bytes before the field name "points", in bytes that had never been part of any header. Something pointed it there, and the thing it pointed at was not yet written.
-> DONE

=== clue_validate_errors ===
validate walks the copy's records, its lists of free space and its index, and they disagree with each other: somewhere a pointer leads to something that is not what it should be.
One insert is several writes to several places. Here some of them made it onto the volume and some did not.
-> DONE

=== clue_writes_after_fsync ===
The fsync returned, and within moments the counters were moving again: new dirty pages, new write-back, new writes applied from the primary.
fsync is a moment, not a state. It empties the cache and walks away; nothing stops the next write from filling it again.
-> DONE

=== clue_race_reproduced ===
Your own snapshot, taken straight after a flush and without a lock, restored torn. No bad luck, no ghost in the script: a race, and you ran it.
Run it again and it may come back clean. That is what a race is. It is also why two years of logs saying the backup succeeded meant nothing.
-> DONE

=== clue_lag_seen ===
{ lag_seconds() > 0:
    {hostname()} is {lag_seconds()} {plural(lag_seconds(), "second", "seconds")} behind the primary. Every second the writes stay locked adds one more.
- else:
    {hostname()} is keeping up with the primary for now. Hold the writes and the gap opens by a second every second.
}
The primary keeps about {oplog_hours()} {plural(oplog_hours(), "hour", "hours")} of history for its secondaries. That is the lock's budget, and a backup should spend only a sliver of it.
-> DONE


// ---------------------------------------------------------------------------------------------
// Events the engine raises.

=== event_fix_applied ===
~ temp kind = fix_kind()
{ kind:
- "lock_in_script":
    The backup script now locks writes before it asks for the snapshot, and lets them go once the request is in. Tonight at three, for the instant that matters, nothing on {hostname()} will be allowed to change.
    Lock, snapshot, unlock. That's the script I should have written. # speaker: Owen
- "journal_same_volume":
    mongod is running with its journal on the data volume now. Every snapshot of that one volume catches the data and the journal at the same instant, and a restore replays the journal before it serves anything.
    So the copy starts up as if the power had gone out, and mongod knows how to deal with that. # speaker: Nadia
- else:
    Something about the backups changed on {hostname()}. The book waits for a night to tell it what.
}
Now the proof: {nights_needed()} nightly {plural(nights_needed(), "backup", "backups")} under the import that restore and validate clean ({clean_nights()} so far), and replication keeping up.
-> DONE

=== event_wrong_fix ===
~ temp kind = wrong_fix_kind()
{ kind:
- "sync_before":
    A sync before the snapshot flushes everything once, and then lets the writes carry on, exactly as the fsync already did. The window between the flush and the snapshot is still there; it is only a little shorter.
    Some nights will come out clean and some will not, and the log will say "success" either way.
- "lock_once":
    You locked writes by hand around one snapshot, and that one snapshot is clean. Tomorrow at three the script runs as it always did.
    A fix that depends on someone remembering it is a good experiment and a bad backup.
- "lock_forgotten":
    The writes are locked, and nobody has let them go. {hostname()} is {lag_seconds()} {plural(lag_seconds(), "second", "seconds")} behind the primary and falling further back every second.
    The oplog holds about {oplog_hours()} {plural(oplog_hours(), "hour", "hours")}. Unlock before the lag reaches it: `fsyncUnlock`.
- "went_stale":
    The writes were held back longer than the primary's oplog could wait for them. That is the lock's price, paid in full: the box must now copy everything from the primary again.
    A backup that costs you the secondary it was backing up is not a backup strategy. # speaker: Nadia
- "repair":
    Salvaging the torn copy, with a repair or a dump, keeps what can still be read and loses what cannot. It helps Nadia get her documents back. It changes nothing about the backups: tomorrow's snapshot will be taken exactly the same way.
    Repairing the patient is kind. It doesn't stop whatever keeps injuring it. # speaker: Nadia
- "restart_mongod":
    mongod restarted and came back as it was. The data files were never the problem on the live box; the problem is the moment the snapshot is taken, and a restart does not move that moment.
- else:
    The book does not recognise that remedy. It doubts the snapshot will either.
}
-> DONE

=== event_regressed ===
~ temp kind = fix_kind()
A nightly backup taken since the fix has come out wrong: it did not restore clean, or it was taken with writes running and no journal beside it.
{
- kind == "lock_in_script":
    Was the lock really held at the instant of the snapshot? Read the script again, and the backup's own log for that night: a lock that comes after the snapshot, or an unlock that comes before it, protects nothing. A lock that failed protects nothing either.
- kind == "journal_same_volume":
    Is the journal really on the data volume, in the mongod that is running now? `ls -l /data/db` shows a link or a directory, and a mongod started before the change still writes where it started.
- else:
    Whatever changed, the snapshot is still racing the writes.
}
I restored it to check. Same exception. # speaker: Nadia
-> DONE

=== event_stale ===
{hostname()} has fallen so far behind that the oldest write it still needs is gone from the primary's oplog, which holds about {oplog_hours()} {plural(oplog_hours(), "hour", "hours")}. It has stopped replicating and says it is too stale to catch up.
There is no catching up from here. The member has to be emptied and copied again from the primary, from the first document to the last.
That's a long night for a backup. Whatever held the writes, make sure it can't hold them that long again. # speaker: Nadia
-> DONE


// ---------------------------------------------------------------------------------------------
// After solving.

=== debrief ===
~ temp kind = fix_kind()
~ temp minutes = minutes_to_solve()
~ temp spells = spells_cast()
~ temp asked = hints_used()
~ temp nights = clean_nights()
The book closes, then falls open at the end of the chapter. The debrief is already there, and, for once, nothing on the page is half written.
What happened. # heading
Every night at three, cron ran Owen's script on {hostname()}. It told mongod to fsync, which wrote every dirty page of the data files to the volume and returned. Then it asked EC2 to snapshot the data volume, {data_volume()}.
Between those two steps, {hostname()} kept doing its job: applying the primary's writes, and on import nights a great many of them. Each write dirtied pages in memory again, and the kernel wrote them to the volume in its own order, when it chose to.
The snapshot took the volume exactly as it was at the instant it was requested. For some writes, that meant the pointer to a new record without the record, or half of a record without the rest. Nothing noticed at the time. The snapshot completed, the log recorded its id and no error, and the torn write sat in it until Nadia restored it.
Then a reader followed a pointer into bytes that did not hold what the pointer promised. It read four of them as a size and the next one as a type, and gave up.{bad_size() != "": The size it read was {bad_size()}, and the first element {first_element()}.}
And the journal, the one thing built to repair a half-finished write, lived on another volume that the snapshot never touched.
The fix you chose. # heading
{ kind:
- "lock_in_script":
    You made the script lock writes, take the snapshot, and unlock. That is what MongoDB's own instructions ask for when the journal is not on the snapshotted volume. Its cost is lag: while the lock is held the secondary applies nothing. Keep the lock for the few seconds the snapshot call takes, never for the hours the snapshot takes to upload; the volume's contents are fixed the moment the call returns. Make sure the unlock runs whatever happens: a script that stops on an error needs a trap on exit, and a forgotten lock is a secondary that goes stale in about {oplog_hours()} {plural(oplog_hours(), "hour", "hours")}.
- "journal_same_volume":
    You moved the journal onto the data volume. Now a snapshot of that one volume is crash-consistent: it holds the data files and the journal at the same instant, and a restored copy replays the journal on startup, like a machine coming back from a power cut. There is no lock and no lag. The cost is that the journal's steady stream of writes and the data files' flushes now share one volume's I/O, and the restore runs recovery before it serves. And it only works while the database stays on one volume: stripe it across several and the snapshots are taken at different instants again.
- else:
    The book cannot tell which fix you chose. Its own order of preference: lock around the snapshot in the script, or journal and data on one volume; never a flush alone.
}
Why the book calls it oints. # heading
The chapter is named after the same failure on another night and another secondary, whose reader landed somewhere else. Where it expected a document's length, it found four bytes of 0xee: -286331154 as an int32. It took the next byte for the first element's type, and that byte was 0x70: type 112, which no BSON type is, and the letter p. The name that followed was the rest of a word every event in that collection carried: oints.
The reader had been sent four bytes before the field name "points", into the middle of a document. Different bytes, the same lesson: a pointer reached the disk and what it pointed at did not, or the other way round.
The mechanism, in plain words. # heading
A write() does not go to the disk. It goes into the page cache and marks a page dirty. The kernel's flusher wakes every few seconds and writes out pages that have been dirty long enough, in its own order, not the program's. On Linux the defaults are a wake-up every five seconds, for pages dirty longer than thirty. mongod adds its own flush of the data files every sixty seconds.
fsync(2) takes one moment and makes it clean: every dirty page goes to the device, and the call waits until the device says it has them. It does not stop anything from writing a moment later, and on a busy secondary something always is.
One logical write to MMAPv1 touches several places: the record itself, the record before it that must now point to it, the extent's bookkeeping, the index. They are separate pages, and there is no promise about which reaches the volume first. A disk promises to write a sector whole, nothing bigger.
An EBS snapshot is crash-consistent: it keeps what was on the volume when it was requested, exactly as if the machine had lost power then. What was still in memory is simply not in it. That is enough for software that can recover from a power cut, and mongod can, with its journal. It is not application-consistent: nothing asked mongod to be between writes.
So there are two ways to make a snapshot safe. Make the application consistent for that instant, by locking writes. Or keep everything the application needs to recover inside the snapshot, by putting the journal on the same volume. A journal on another volume, snapshotted at another instant or not at all, cannot repair this one.
Linux has the same idea one level down: freezing a filesystem flushes it and holds every writer until it is thawed. A database lock does the same for one program, and it knows when that program is between writes.
What to read next. # heading
MongoDB's manual, "Backup and Restore with Filesystem Snapshots": the rule about the journal and the volume, and the lock for everything else.
MongoDB's manual pages for the fsync command and for db.fsyncLock(): the difference between flushing and holding.
Amazon's EBS documentation on creating snapshots: point-in-time, pending while it uploads, and what "consistent" means there.
The fsync(2) and sync(2) manual pages: what they promise, and what they never did.
Operating Systems: Three Easy Pieces, the chapter on crash consistency: fsck, journaling, and why the order of writes is the whole game. A cursed operating systems textbook, some would say. The book finds this hilarious.
Your numbers. # heading
You closed it in {span(minutes)} of the machine's time, with {spells} {plural(spells, "spell", "spells")} cast and {asked} {plural(asked, "hint", "hints")} asked for. Since the fix, {nights} nightly {plural(nights, "backup", "backups")} restored clean, and {hostname()} is {lag_seconds()} {plural(lag_seconds(), "second", "seconds")} behind the primary.
{
- asked == 0:
    You never asked the book for help. It noticed. It has started locking its own pages at night.
- asked >= HINT_LEVELS:
    The book gave you everything it had. It will want something back, in a later chapter.
- else:
    The book took note of every hint. It keeps accounts, and takes snapshots of them.
}
{ kind == "journal_same_volume":
    The chapter ends. At three tomorrow, on {hostname()}, a backup will run, and the journal will be in the picture with everything else.
- else:
    The chapter ends. At three tomorrow, on {hostname()}, a backup will run, and for a few seconds nothing will be allowed to move.
}
-> DONE
