/*
 * vpc_os_user.h: what the userland OS seam (vpc_os_user.c) offers its
 * programs beyond vpc_os.h.
 */

#ifndef _VPC_OS_USER_H_
#define	_VPC_OS_USER_H_

/*
 * Set the most verbose level vpc_os_log() prints to 'level' (one of
 * VPC_LOG_*; vpcd -v raises it to VPC_LOG_DEBUG).
 */
void	vpc_os_user_log_level(int level);

/*
 * Declare that from now on the calling thread alone runs the core (data
 * path, control and counter reads), as in vpcd: counter adds (vpc_os.h)
 * then need no locked instruction.  Call it before creating any object.
 * Another thread touching the core afterwards loses counts; the counter
 * calls that are not per packet assert against it.
 */
void	vpc_os_counters_one_thread(void);

#endif /* !_VPC_OS_USER_H_ */
