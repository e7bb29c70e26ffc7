// "the export that stopped": an example chapter written from a team's postmortem
// (docs/write-a-chapter.md). The words only: the box's files and cron are the source of truth,
// and every number here comes from an EXTERNAL. The contract is
// engine/chapters/cron-dot/storyContract.ts; `grimoire check-chapter cron-dot` checks it.
//
// Dialogue lines end with "# speaker: NAME"; untagged lines are the grimoire's narration. Every
// knot ends with -> DONE. Commands the player might type go in `backticks` (STORY_COMMANDS).

INCLUDE _common.ink

EXTERNAL found(clue_id)
EXTERNAL fix_kind()
EXTERNAL wrong_fix_kind()
EXTERNAL hostname()
EXTERNAL deploy_time()
EXTERNAL last_export()
EXTERNAL exports_since()
EXTERNAL missed_runs()

CONST HINT_LEVELS = 4

// Set by the engine before it runs `hints`: 1 for the first hint, then 2 ... HINT_LEVELS.
VAR hint_level = 0

-> DONE


=== briefing ===
The book opens on a page that was not there yesterday. Someone has pasted a postmortem into it, and the postmortem has grown a machine.
finance here: the orders dashboard stopped moving at {last_export()} UTC. no errors anywhere. did something change? # speaker: Dana
{hostname()} hands the last five minutes of orders to the finance dashboard, every five minutes, from a cron job. Since {last_export()} UTC that is {missed_runs()} runs that did not happen. Nothing crashed. Nothing logged an error.
Type real commands as on any Linux box: `hint` asks the book, `talk` finds Dana, `status` shows what done looks like, and `journal` keeps what you have learned.
-> DONE


=== talk ===
Dana runs the finance dashboard and has been refreshing it for an hour.
* [What changed today?]
    There was a deploy this morning, config management only. Nobody touched the export script, I asked. # speaker: Dana
    -> DONE
* [How does the export run?]
    From cron, every five minutes, as root. The script appends a line to its own log each time it runs, so you can see when it last did. # speaker: Dana
    -> DONE
* { found("dotted_name") } [Why is the job's file called report-export.cron?]
    The deploy's new template adds .cron to every file it writes. It looked tidier. # speaker: Dana
    -> DONE
* [Never mind.]
    -> DONE


=== hints ===
~ temp level = clamp(hint_level, 1, HINT_LEVELS)
{ level:
- 1: Start from the symptom. The export keeps its own log: `tail -n 3 /var/lib/report-export/runs.log`. When did it last run?
- 2: Did cron fail to run it, or never try? Cron logs every job it starts: `grep report-export /var/log/syslog \| tail -n 3`.
- 3: Cron stopped trying at the time of the deploy. Look at what cron reads: `ls -l /etc/cron.d`. Debian's cron skips any file there whose name contains a dot.
- else: Give the job's file a name cron accepts: `sudo mv /etc/cron.d/report-export.cron /etc/cron.d/report-export`. Cron rereads /etc/cron.d on its own; `sleep 16m` lets three runs happen, and `tail -n 3 /var/lib/report-export/runs.log` shows them.
}
-> DONE


=== clue_export_stale ===
The export's last line is from {last_export()} UTC. Whatever stopped it did not stop it loudly.
-> DONE

=== clue_cron_silent ===
Cron ran the export every five minutes until {last_export()} UTC, and then simply stopped mentioning it. Not a failure: an absence.
-> DONE

=== clue_dotted_name ===
The job's file is called report-export.cron now, written at {deploy_time()} UTC. The book underlines the dot, twice.
-> DONE

=== clue_runs_by_hand ===
By hand, the export runs fine. The script was never the problem; the question is why cron does not start it.
-> DONE


=== event_fix_applied ===
{ fix_kind():
- "cron_d": The job's file has a name cron reads again. At the next five-minute mark it should run on its own.
- else: The job is in a crontab cron reads. At the next five-minute mark it should run on its own.
}
-> DONE

=== event_wrong_fix ===
{ wrong_fix_kind():
- "hand_run": The dashboard moves once, and Dana cheers. In five minutes it will stop again: nothing has changed for cron.
- "made_executable": The table is executable now, which cron never asked for: files in /etc/cron.d are tables it reads, not scripts it runs. Cron still skips it.
- else: That changes nothing for the export.
}
-> DONE

=== event_regressed ===
The job is out of cron's reach again. The dashboard will go still at the next five-minute mark.
-> DONE


=== debrief ===
What happened # heading
A deploy's template wrote the job's table as /etc/cron.d/report-export.cron. Debian's cron only reads files in /etc/cron.d whose names are letters, digits, hyphens and underscores, the same rule as run-parts, and it skips the others without a log line. The job stopped at {deploy_time()} UTC and nothing reported an error.
What fixed it # heading
{ fix_kind():
- "crontab": You moved the job into a crontab cron reads.
- else: You renamed the file back to a name cron accepts.
}
Cron has run the export {exports_since()} {plural(exports_since(), "time", "times")} since you arrived.
What to keep # heading
When a cron job goes quiet, ask cron first: `grep CRON /var/log/syslog` says what it started. No line at all means cron never read the job. The page closes.
-> DONE
