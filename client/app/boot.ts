// Wires the full-width app: the same bridge, API client and session model as the pod (signed in
// through ConnectWise the same way), so the app reuses the pod's boot.
export { bootPod as bootApp, type PodBoot as AppBoot } from '../pod/boot.ts';
