# A job for kata 14's runner: it starts four workers, which stay in its process
# group, and waits for them. The tests run it as: sh job.sh <clean-up seconds>
#   sleep 600   two plain workers: SIGTERM ends them
#   sleep 601   a stubborn worker: it ignores SIGTERM (an ignored signal stays
#               ignored across exec), so only SIGKILL ends it
#   sh (tidy)   a tidy worker: on SIGTERM it cleans up for <clean-up seconds>,
#               says so, and exits 0; its own sleep 602 ends at the SIGTERM
cleanup=${1:-0.3}
sleep 600 &
sleep 600 &
(trap '' TERM; exec sleep 601) &
(
  trap 'echo "tidy: SIGTERM, cleaning up"; sleep "$cleanup"; echo "tidy: cleaned up"; exit 0' TERM
  sleep 602 &
  wait
) &
echo "job: 4 workers started"
wait
