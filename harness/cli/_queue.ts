// One thing at a time in watch mode: a new run cancels the one under way and
// starts once that one has cleaned up; of several requests meanwhile, the newest wins.

/** Something watch mode does that takes time: a kata's run, a check of all katas. */
export interface Activity {
  cancel(): void;
  /** Settles once the activity is over and whatever it started is gone. */
  done: Promise<void>;
}

/** The queue of activities. */
export interface ActivityQueue {
  /** Cancels the current activity and runs `make`'s once it is gone, unless a newer one came first. */
  schedule(make: (live: () => boolean) => Activity): void;
  /** Cancels everything; settles once nothing is left running. */
  stop(): Promise<void>;
}

/** A queue whose activities' failures go to `onError`. */
export function activityQueue(onError: (err: unknown) => void): ActivityQueue {
  let generation = 0;
  let current: Activity | undefined;
  let chain = Promise.resolve();
  return {
    schedule(make) {
      const mine = ++generation;
      current?.cancel();
      chain = chain.then(async () => {
        if (mine !== generation) return;
        current = make(() => mine === generation);
        await current.done;
        current = undefined;
      }).catch(onError);
    },
    stop() {
      generation++;
      current?.cancel();
      return chain;
    },
  };
}
