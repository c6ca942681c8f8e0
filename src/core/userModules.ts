import type { Profile } from './model';

// Which of the workspace's Go modules a profile shows: only those count as "your code" for the
// diagnosis and the trend (a module the profiled binary never ran tells nothing about its frames).

/** modulesShownIn keeps the modules whose code appears in the profile (by function name or file path). */
export function modulesShownIn(profile: Profile, modules: readonly string[]): string[] {
  const fns = profile.functions;
  return modules.filter((m) => {
    for (let i = 0; i < fns.count; i++) {
      const name = fns.name[i];
      const file = fns.filename[i].replace(/\\/g, '/');
      if (name.startsWith(`${m}.`) || name.startsWith(`${m}/`) || file.startsWith(`${m}/`) || file.includes(`/${m}/`)) return true;
    }
    return false;
  });
}
